import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { DIGEST_RUN_KIND, type Digest as DigestDto, type DigestListQuery, type DigestStart, type DigestStatus } from '#protocol/digests.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { DigestRow, type IDigest } from './digest.entity.ts';

const DEFAULT_PERIOD_MS = 7 * 24 * 3600_000;

export function toDigestDto(row: IDigest): DigestDto {
  return {
    id: row.id,
    projectId: row.projectId,
    runId: row.runId,
    reportId: row.reportId,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    title: row.title,
    markdown: row.markdown,
    summary: row.summary,
    status: row.status,
    model: row.model ?? null,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    publishedAt: row.publishedAt?.toISOString() ?? null,
  };
}

/** Resolves the period (default: the 7 days before now) and starts a digest run for it. */
export async function startDigest(services: AppServices, auth: Authenticated, projectId: string, body: z.output<typeof DigestStart>): Promise<RunCreated> {
  await requireProject(services.orm, auth, projectId);
  const end = body.periodEnd ? new Date(body.periodEnd) : new Date();
  const start = body.periodStart ? new Date(body.periodStart) : new Date(end.getTime() - DEFAULT_PERIOD_MS);
  return startProjectRun(services, auth, projectId, DIGEST_RUN_KIND, { periodStart: start.toISOString(), periodEnd: end.toISOString() });
}

export async function listDigests(orm: Orm, auth: Authenticated, projectId: string, query: z.output<typeof DigestListQuery>): Promise<DigestDto[]> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const rows = await em.find(DigestRow, { projectId, ...(query.status ? { status: query.status } : {}) }, { orderBy: { periodEnd: 'desc', id: 'desc' }, limit: query.limit });
    return rows.map(toDigestDto);
  });
}

export async function getDigest(orm: Orm, auth: Authenticated, id: string): Promise<DigestDto> {
  const row = await withTenant(orm, auth, (em) => em.findOne(DigestRow, { id }));
  return toDigestDto(await requireFound(orm, auth, DigestRow, 'digest', id, row));
}

export async function setDigestStatus(orm: Orm, auth: Authenticated, id: string, status: DigestStatus): Promise<DigestDto> {
  const updated = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(DigestRow, { id });
    if (!row) return null;
    if (row.status !== status) {
      row.status = status;
      row.publishedAt = status === 'published' ? new Date() : null;
      recordAudit(em, auth, `digest.${status === 'published' ? 'publish' : 'unpublish'}`, 'digest', id);
    }
    await em.flush();
    return toDigestDto(row);
  });
  if (updated) return updated;
  return toDigestDto(await requireFound(orm, auth, DigestRow, 'digest', id, null));
}

export async function deleteDigest(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    const count = await em.nativeDelete(DigestRow, { id });
    if (count > 0) recordAudit(em, auth, 'digest.delete', 'digest', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, DigestRow, 'digest', id, null);
}
