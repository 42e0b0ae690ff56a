import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { EventBus } from '#server/events/bus.ts';
import { ConflictError } from '#server/errors.ts';
import type { CodePattern, FindingListQuery, StoredFinding } from '#protocol/analysis.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { CodePatternRow } from './code-pattern.entity.ts';
import { refreshCodePatterns, toCodePatternDto } from './code-patterns.ts';
import { publishFindingsChanged } from './finding-events.ts';
import { FindingRow, type IFinding } from './finding.entity.ts';
import { findRule, ruleDocsPath } from './rule-docs.ts';
import { requireProject } from './snapshot-service.ts';

export function toFindingDto(row: IFinding): StoredFinding {
  const rule = findRule(row.ruleId);
  return {
    id: row.id,
    projectId: row.projectId,
    path: row.path,
    ruleId: row.ruleId,
    severity: row.severity,
    message: row.message,
    range: { startLine: row.startLine, startColumn: row.startColumn, endLine: row.endLine, endColumn: row.endColumn },
    fix: row.fix ?? null,
    flow: row.flow ?? null,
    cwe: rule?.cwe ?? [],
    owasp: rule?.owasp ?? [],
    fingerprint: row.fingerprint,
    source: row.source,
    status: row.status,
    dismissedBy: row.dismissedBy ?? null,
    dismissedReason: row.dismissedReason ?? null,
    dismissedAt: row.dismissedAt?.toISOString() ?? null,
    firstSeenSnapshotId: row.firstSeenSnapshotId,
    lastSeenSnapshotId: row.lastSeenSnapshotId,
    docsUrl: ruleDocsPath(row.ruleId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listFindings(orm: Orm, auth: Authenticated, projectId: string, query: z.output<typeof FindingListQuery>): Promise<{ items: StoredFinding[]; total: number }> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const where: Record<string, unknown> = { projectId };
    if (query.path) where.path = query.path;
    if (query.severity) where.severity = query.severity;
    if (query.ruleId) where.ruleId = query.ruleId;
    if (query.status !== 'all') where.status = query.status;
    const [rows, total] = await em.findAndCount(FindingRow, where, {
      orderBy: { path: 'asc', startLine: 'asc', startColumn: 'asc', ruleId: 'asc', id: 'asc' },
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(toFindingDto), total };
  });
}

export async function getFinding(orm: Orm, auth: Authenticated, id: string): Promise<StoredFinding> {
  const row = await withTenant(orm, auth, (em) => em.findOne(FindingRow, { id }));
  return toFindingDto(await requireFound(orm, auth, FindingRow, 'finding', id, row));
}

type Transition = { kind: 'dismiss'; reason: string } | { kind: 'reopen' };

/**
 * Dismissing is for the whole team: the finding stays dismissed across analyses (the same
 * fingerprint is never reopened by a run) until someone reopens it. Who and why are kept.
 */
export async function changeFindingStatus(orm: Orm, bus: EventBus, auth: Authenticated, id: string, transition: Transition): Promise<StoredFinding> {
  const updated = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(FindingRow, { id });
    if (!row) return null;
    if (transition.kind === 'dismiss') {
      if (row.status === 'fixed') throw new ConflictError(`finding ${id} is already fixed (no longer reported); there is nothing to dismiss`, 'id');
      row.status = 'dismissed';
      row.dismissedBy = auth.userId;
      row.dismissedReason = transition.reason;
      row.dismissedAt = new Date();
    } else {
      if (row.status !== 'dismissed') throw new ConflictError(`finding ${id} is ${row.status}, not dismissed; only a dismissed finding can be reopened`, 'id');
      row.status = 'open';
      row.dismissedBy = null;
      row.dismissedReason = null;
      row.dismissedAt = null;
    }
    recordAudit(em, auth, `finding.${transition.kind}`, 'finding', row.id, transition.kind === 'dismiss' ? { reason: transition.reason } : null);
    await em.flush();
    await refreshCodePatterns(em, auth.tenantId, row.projectId);
    return toFindingDto(row);
  });
  if (!updated) return toFindingDto(await requireFound(orm, auth, FindingRow, 'finding', id, null));
  publishFindingsChanged(bus, auth.tenantId, { projectId: updated.projectId, cause: transition.kind, findingIds: [id], runId: null });
  return updated;
}

export async function listCodePatterns(orm: Orm, auth: Authenticated, projectId: string): Promise<CodePattern[]> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const rows = await em.find(CodePatternRow, { projectId }, { orderBy: { count: 'desc', ruleId: 'asc' } });
    return rows.map(toCodePatternDto);
  });
}
