// Starting autofix and refactor runs over HTTP: the references are checked first (project,
// snapshot, findings, blobs, persona), so a wrong id is a 4xx naming the field instead of a run
// that fails later. The runs route (POST /api/v1/runs) accepts the same input; its runs check the
// same things when they start and fail with the reason.
import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, ValidationError } from '#server/errors.ts';
import { AUTOFIX_RUN_KIND, REFACTOR_RUN_KIND, type AutofixRunInput, type FileRef, type RefactorRunInput } from '#protocol/autofix.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { blobInfo } from '#server/modules/analysis/blob-store.ts';
import { FindingRow } from '#server/modules/analysis/finding.entity.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { findPersonaByRef } from '#server/modules/personas/store.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';

type StartServices = Pick<AppServices, 'orm' | 'runs' | 'log' | 'config'>;

async function checkFiles(services: StartServices, auth: Authenticated, files: readonly FileRef[]): Promise<void> {
  const present = await withTenant(services.orm, auth, (em) => blobInfo(em, files.map((file) => file.blobHash)));
  files.forEach((file, index) => {
    const info = present.get(file.blobHash);
    if (!info) throw new ConflictError(`files.${index}.blobHash: blob ${file.blobHash} of ${file.path} is not uploaded; upload it first (PUT /api/v1/blobs/${file.blobHash})`, `files.${index}.blobHash`);
    if (info.isBinary) throw new ValidationError(`files.${index}.path: ${file.path} is binary; only text files can be changed`, `files.${index}.path`);
  });
}

async function checkPersona(services: StartServices, auth: Authenticated, personaId: string | undefined): Promise<void> {
  if (personaId === undefined) return;
  const persona = await withTenant(services.orm, auth, (em) => findPersonaByRef(em, auth.tenantId, personaId));
  if (!persona) throw new ValidationError(`personaId: no persona ${JSON.stringify(personaId)} in this team (an id or a built-in key such as "security-auditor")`, 'personaId');
}

export async function startAutofix(services: StartServices, auth: Authenticated, projectId: string, body: z.output<typeof AutofixRunInput>): Promise<RunCreated> {
  await requireProject(services.orm, auth, projectId);
  const { findings, snapshot } = await withTenant(services.orm, auth, async (em) => ({
    findings: await em.find(FindingRow, { id: { $in: body.findingIds } }),
    snapshot: body.snapshotId ? await em.findOne(Snapshot, { id: body.snapshotId }) : null,
  }));
  if (body.snapshotId) await requireFound(services.orm, auth, Snapshot, 'snapshot', body.snapshotId, snapshot?.projectId === projectId ? snapshot : null);
  const paths = new Set(body.files?.map((file) => file.path) ?? snapshot!.files.map((file) => file.path));
  for (const [index, id] of body.findingIds.entries()) {
    const finding = findings.find((f) => f.id === id);
    // Another tenant's finding is a 404 like a missing one (and a security event).
    if (!finding) await requireFound(services.orm, auth, FindingRow, 'finding', id, null);
    if (finding!.projectId !== projectId) throw new ValidationError(`findingIds.${index}: finding ${id} belongs to another project`, `findingIds.${index}`);
    if (finding!.status === 'fixed') throw new ConflictError(`findingIds.${index}: finding ${id} is already fixed`, `findingIds.${index}`);
    if (!paths.has(finding!.path)) {
      throw new ValidationError(`findingIds.${index}: finding ${id} is in ${finding!.path}, which is not among ${body.files ? 'files' : `the files of snapshot ${body.snapshotId}`}`, `findingIds.${index}`);
    }
  }
  if (body.files) await checkFiles(services, auth, body.files);
  await checkPersona(services, auth, body.personaId);
  return startProjectRun(services, auth, projectId, AUTOFIX_RUN_KIND, body);
}

export async function startRefactor(services: StartServices, auth: Authenticated, projectId: string, body: z.output<typeof RefactorRunInput>): Promise<RunCreated> {
  await requireProject(services.orm, auth, projectId);
  await checkFiles(services, auth, body.files);
  await checkPersona(services, auth, body.personaId);
  return startProjectRun(services, auth, projectId, REFACTOR_RUN_KIND, body);
}
