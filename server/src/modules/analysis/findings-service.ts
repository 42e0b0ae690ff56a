import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { CodePattern, FindingListQuery, StoredFinding } from '#protocol/analysis.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { CodePatternRow } from './code-pattern.entity.ts';
import { toCodePatternDto } from './code-patterns.ts';
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
    resolution: row.resolution ?? null,
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

export async function listCodePatterns(orm: Orm, auth: Authenticated, projectId: string): Promise<CodePattern[]> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const rows = await em.find(CodePatternRow, { projectId }, { orderBy: { count: 'desc', ruleId: 'asc' } });
    return rows.map(toCodePatternDto);
  });
}
