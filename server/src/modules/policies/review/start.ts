// Starting a review and reading its matrix. A review with nothing to review against is refused
// here, before a run exists (422 naming what is missing).
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { AppError, NotFoundError } from '#server/errors.ts';
import { COMPLIANCE_REVIEW_RUN_KIND, ControlMatrix, type ComplianceReviewStart } from '#protocol/policies.ts';
import type { RunCreated } from '#protocol/runs.ts';
import type { AppServices } from '#server/services.ts';
import { requireFound, requireReferences } from '#server/modules/audit/access-guard.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { ReportRow } from '#server/modules/reports/report.entity.ts';
import { RunRow } from '#server/modules/runs/run.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { PolicyDocumentRow } from '../policy.entity.ts';

export class NoPoliciesError extends AppError {
  constructor() {
    super(422, 'no_policies', 'documentIds: this team has no policies to review against; upload one (POST /api/v1/policies) or install the starter set (POST /api/v1/policies/starter) first', {
      field: 'documentIds',
    });
  }
}

export async function startComplianceReview(services: AppServices, auth: Authenticated, projectId: string, body: z.output<typeof ComplianceReviewStart>): Promise<RunCreated> {
  await requireProject(services.orm, auth, projectId);
  await requireReferences(services.orm, auth, body.documentIds.map((id, index) => ({ field: `documentIds.${index}`, entity: PolicyDocumentRow, id })));
  const documentIds = [...new Set(body.documentIds)].sort();
  const seen = await withTenant(services.orm, auth, async (em) => {
    const documents = await em.find(PolicyDocumentRow, documentIds.length ? { id: { $in: documentIds } } : {}, { fields: ['id', 'latestVersionId'] });
    const snapshot = await em.findOne(Snapshot, { projectId }, { orderBy: { createdAt: 'desc', id: 'desc' }, fields: ['id'] });
    return { versions: documents.map((d) => d.latestVersionId).sort(), snapshotId: snapshot?.id ?? null };
  });
  if (seen.versions.length === 0) throw new NoPoliciesError();
  const revision = createHash('sha256').update(seen.versions.join(',')).digest('hex');
  return startProjectRun(services, auth, projectId, COMPLIANCE_REVIEW_RUN_KIND, { ...body, documentIds, snapshotId: seen.snapshotId, revision });
}

/** The matrix of a finished review: kept in its report's metadata. */
export async function getControlMatrix(orm: Orm, auth: Authenticated, runId: string): Promise<ControlMatrix> {
  const found = await withTenant(orm, auth, (em) => em.findOne(RunRow, { id: runId }));
  if (!found) await requireFound(orm, auth, RunRow, 'run', runId, null);
  if (found!.kind !== COMPLIANCE_REVIEW_RUN_KIND) throw new NotFoundError(`compliance review ${runId}`);
  const report = await withTenant(orm, auth, (em) => em.findOne(ReportRow, { runId }, { fields: ['id', 'metadata'] }));
  const matrix = report?.metadata?.matrix;
  if (!report || !matrix) throw new NotFoundError(`compliance review ${runId} (it is ${found!.status}; the matrix is there once it succeeded)`);
  return ControlMatrix.parse({ ...(matrix as object), reportId: report.id });
}
