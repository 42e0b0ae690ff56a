import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { FindingStatus } from '#protocol/analysis.ts';
import type { FindingFix, FlowStep, Severity, TriageResolution } from '#protocol/findings.ts';
import type { TriageEntry } from '#protocol/triage.ts';

/**
 * A finding as the team tracks it. Identity is the fingerprint (rule, path, matched text,
 * occurrence; no line numbers), so a finding keeps its id, status and dismissal when lines move.
 */
export const FindingRow = defineEntity({
  name: 'Finding',
  tableName: 'findings',
  comment: 'Findings of a project, upserted by fingerprint: open, fixed (no longer reported) or dismissed by a teammate.',
  ...tenantRls('findings', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['projectId', 'fingerprint'] }],
  indexes: [{ properties: ['projectId', 'status', 'path'] }, { properties: ['projectId', 'lastSeenRunId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    path: p.string().length(1024),
    ruleId: p.string().length(200),
    severity: p.string().$type<Severity>().length(16).default('warning'),
    message: p.text(),
    startLine: p.integer(),
    startColumn: p.integer(),
    endLine: p.integer(),
    endColumn: p.integer(),
    fix: p.json<FindingFix>().nullable(),
    /** Data-flow rules: source, steps and sink in order (docs/analysis.md, "Flow paths"); null for pattern rules. */
    flow: p.json<FlowStep[]>().nullable(),
    fingerprint: p.string().length(64),
    /** The source line the finding starts on (trimmed), for code patterns and reviews. */
    snippet: p.string().length(300).default(''),
    source: p.string().length(16).default('builtin'),
    status: p.string().$type<FindingStatus>().length(16).default('open'),
    dismissedBy: p.uuid().nullable(),
    dismissedReason: p.text().nullable(),
    dismissedAt: p.datetime().nullable(),
    /** Why a dismissed finding was set aside (false-positive, wont-fix, accepted); null unless dismissed. */
    resolution: p.string().$type<TriageResolution>().length(32).nullable(),
    /** Every triage change, oldest first (server/src/modules/triage/; few per finding, read with it, gone with it). */
    triageHistory: p.json<TriageEntry[]>().nullable(),
    firstSeenSnapshotId: p.uuid(),
    lastSeenSnapshotId: p.uuid(),
    /** The analysis run that last reported it: lets an incremental analysis carry unchanged files' findings over in one statement. */
    lastSeenRunId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IFinding = InferEntity<typeof FindingRow>;
