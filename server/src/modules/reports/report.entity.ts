import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { ReportKind } from '#protocol/reports.ts';

/**
 * What the AI team produced, kept as Markdown. `run_id` is unique: a run has at most one report,
 * so a run executed again after a crash (or two instances hearing the same "finished") rewrites
 * it instead of adding a second one.
 */
export const ReportRow = defineEntity({
  name: 'Report',
  tableName: 'reports',
  comment: 'Reports of runs and on-demand reports (Markdown body, metadata), exported as Markdown or PDF.',
  ...tenantRls('reports', ['select', 'insert', 'update', 'delete']),
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['runId'] }, { properties: ['tenantId', 'id'] }],
  indexes: [{ properties: ['projectId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    runId: p.uuid().nullable(),
    kind: p.string().$type<ReportKind>().length(32).default('analysis'),
    title: p.string().length(300),
    markdown: p.text(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IReport = InferEntity<typeof ReportRow>;
