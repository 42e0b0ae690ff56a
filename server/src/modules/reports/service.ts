import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { NotFoundError } from '#server/errors.ts';
import { REPORT_KIND_LABELS, type Report as ReportDto, type ReportCreate, type ReportKind, type ReportListQuery, type ReportSummary } from '#protocol/reports.ts';
import { requireFound, requireReferences } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import { RunRow } from '#server/modules/runs/run.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { ReportRow, type IReport } from './report.entity.ts';

export function toReportSummary(row: Pick<IReport, 'id' | 'projectId' | 'runId' | 'kind' | 'title' | 'metadata' | 'createdBy' | 'createdAt'>): ReportSummary {
  return {
    id: row.id,
    projectId: row.projectId,
    runId: row.runId ?? null,
    kind: row.kind,
    title: row.title,
    metadata: row.metadata,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toReportDto(row: IReport): ReportDto {
  return { ...toReportSummary(row), markdown: row.markdown };
}

/** "<project name> — <Report type> — <YYYY-MM-DD>" (UTC date). */
export function reportTitle(projectName: string, kind: ReportKind, at: Date): string {
  return `${projectName} — ${REPORT_KIND_LABELS[kind]} — ${at.toISOString().slice(0, 10)}`;
}

export async function listReports(orm: Orm, auth: Authenticated, query: z.output<typeof ReportListQuery>): Promise<ReportSummary[]> {
  return withTenant(orm, auth, async (em) => {
    const where = { ...(query.projectId ? { projectId: query.projectId } : {}), ...(query.kind ? { kind: query.kind } : {}) };
    // Summaries only: lists must not drag megabytes of Markdown along.
    const rows = await em.find(ReportRow, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.limit,
      exclude: ['markdown'],
    });
    return rows.map(toReportSummary);
  });
}

export async function getReport(orm: Orm, auth: Authenticated, id: string): Promise<IReport> {
  const row = await withTenant(orm, auth, (em) => em.findOne(ReportRow, { id }));
  return requireFound(orm, auth, ReportRow, 'report', id, row);
}

export async function deleteReport(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    const count = await em.nativeDelete(ReportRow, { id });
    if (count > 0) recordAudit(em, auth, 'report.delete', 'report', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, ReportRow, 'report', id, null);
}

export interface RunReportInput {
  kind: ReportKind;
  projectId: string;
  /** The run it reports on: one report per run, rewritten if the run saves again (a retried run). */
  runId?: string | null;
  title?: string;
  markdown: string;
  metadata?: Record<string, unknown>;
}

/**
 * Writes a report, the way every run kind ends: `saveRunReport(services, auth, {kind, projectId,
 * runId, markdown, metadata})`. With a run id it is idempotent (one report per run). The title
 * defaults to "<project> — <type> — <date>". Throws NotFoundError when the project is not the
 * tenant's.
 */
export async function saveRunReport(services: { orm: Orm }, auth: TenantScope, input: RunReportInput): Promise<ReportDto> {
  return withTenant(services.orm, auth, async (em) => {
    const project = await em.findOne(Project, { id: input.projectId }, { fields: ['id', 'name'] });
    if (!project) throw new NotFoundError(`project ${input.projectId}`);
    const existing = input.runId ? await em.findOne(ReportRow, { runId: input.runId }) : null;
    const now = new Date();
    const fields = {
      kind: input.kind,
      title: input.title ?? reportTitle(project.name, input.kind, existing?.createdAt ?? now),
      markdown: input.markdown,
      metadata: input.metadata ?? {},
    };
    const row = existing ? Object.assign(existing, fields) : em.create(ReportRow, { ...fields, tenantId: auth.tenantId, projectId: project.id, runId: input.runId ?? null, createdBy: auth.userId });
    if (!existing) recordAudit(em, auth, 'report.create', 'report', row.id, { kind: row.kind, runId: row.runId ?? null });
    await em.flush();
    return toReportDto(row);
  });
}

/**
 * POST /reports: a report on demand. The project and the run it names must be the caller's
 * tenant's ("projectId: not found" / "runId: not found" otherwise, the same for a missing id and
 * another tenant's): without that check a report could claim, and squat, another tenant's run.
 */
export async function createReport(orm: Orm, auth: Authenticated, input: z.output<typeof ReportCreate>): Promise<ReportDto> {
  await requireReferences(orm, auth, [
    { field: 'projectId', entity: Project, id: input.projectId },
    ...(input.runId ? [{ field: 'runId', entity: RunRow, id: input.runId }] : []),
  ]);
  return saveRunReport({ orm }, auth, input);
}

/** The project's name for titles and PDF headers; a deleted project still lets its reports print. */
export async function projectNameOf(orm: Orm, auth: TenantScope, projectId: string): Promise<string> {
  const project = await withTenant(orm, auth, (em) => em.findOne(Project, { id: projectId }, { fields: ['id', 'name'] }));
  return project?.name ?? 'Deleted project';
}
