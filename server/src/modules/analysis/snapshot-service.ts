import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { AppError, ConflictError, ValidationError } from '#server/errors.ts';
import { MAX_PATH_LENGTH, type ManifestEntry, type Snapshot as SnapshotDto, type SnapshotCheck, type SnapshotCheckResult, type SnapshotCreate } from '#protocol/analysis.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { blobInfo, blobTooLarge } from './blob-store.ts';
import { Snapshot, type ISnapshot } from './snapshot.entity.ts';

export const MAX_SNAPSHOT_FILES = 50_000;

export interface SnapshotLimits {
  maxBlobBytes: number;
}

export function toSnapshotDto(row: ISnapshot): SnapshotDto {
  return {
    id: row.id,
    projectId: row.projectId,
    source: row.source,
    fileCount: row.fileCount,
    totalBytes: Number(row.totalBytes),
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** 404 for a project RLS hides or that does not exist (and a security event when it is another tenant's). */
export async function requireProject(orm: Orm, auth: Authenticated, projectId: string) {
  const row = await withTenant(orm, auth, (em) => em.findOne(Project, { id: projectId }));
  return requireFound(orm, auth, Project, 'project', projectId, row);
}

/** Rules a manifest must follow beyond each entry's shape: unique paths, sizes within the limit. */
export function checkManifest(files: readonly ManifestEntry[], limits: SnapshotLimits): void {
  const seen = new Set<string>();
  files.forEach((file, index) => {
    if (seen.has(file.path)) throw new ValidationError(`files.${index}.path: ${JSON.stringify(file.path)} is listed twice`, `files.${index}.path`);
    seen.add(file.path);
    if (file.size > limits.maxBlobBytes) throw blobTooLarge(`files.${index} (${file.path})`, file.size, limits.maxBlobBytes, `files.${index}.size`);
  });
}

export async function checkSnapshot(orm: Orm, auth: Authenticated, projectId: string, body: z.output<typeof SnapshotCheck>, limits: SnapshotLimits): Promise<SnapshotCheckResult> {
  await requireProject(orm, auth, projectId);
  checkManifest(body.files, limits);
  const hashes = [...new Set(body.files.map((file) => file.sha256))];
  const present = await withTenant(orm, auth, (em) => blobInfo(em, hashes));
  return {
    missing: hashes.filter((hash) => !present.has(hash)),
    present: present.size,
    limits: { maxBlobBytes: limits.maxBlobBytes, maxFiles: MAX_SNAPSHOT_FILES, maxPathLength: MAX_PATH_LENGTH },
  };
}

/**
 * Writes a snapshot once every blob it names is stored. The caller has checked the project
 * (routes with requireProject; a sync runs for the project its run was created for). Sizes come
 * from the stored blobs, and a declared size that disagrees is an error: the client hashed
 * something else than it uploaded.
 */
export async function createSnapshot(
  orm: Orm,
  auth: TenantScope,
  projectId: string,
  body: z.output<typeof SnapshotCreate>,
  limits: SnapshotLimits,
): Promise<SnapshotDto> {
  checkManifest(body.files, limits);
  return withTenant(orm, auth, async (em) => {
    const stored = await blobInfo(em, [...new Set(body.files.map((file) => file.sha256))]);
    const missing = body.files.filter((file) => !stored.has(file.sha256));
    if (missing.length) {
      const index = body.files.indexOf(missing[0]!);
      throw new ConflictError(
        `files.${index} (${missing[0]!.path}): blob ${missing[0]!.sha256} was not uploaded; ${missing.length} blob(s) missing in all. Ask POST .../snapshots/check which to upload.`,
        `files.${index}.sha256`,
      );
    }
    let totalBytes = 0;
    body.files.forEach((file, index) => {
      const blob = stored.get(file.sha256)!;
      if (blob.isBinary) throw new AppError(422, 'binary_content', `files.${index} (${file.path}) is binary; leave binary files out of snapshots.`, { field: `files.${index}` });
      if (blob.size !== file.size) throw new ValidationError(`files.${index}.size: ${file.path} is ${blob.size} bytes on the server, not ${file.size}`, `files.${index}.size`);
      totalBytes += blob.size;
    });
    const files = [...body.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const row = em.create(Snapshot, {
      tenantId: auth.tenantId,
      projectId,
      source: body.source,
      files,
      fileCount: files.length,
      totalBytes,
      createdBy: auth.userId,
    });
    recordAudit(em, auth, 'snapshot.create', 'snapshot', row.id, { projectId, files: files.length, source: body.source });
    await em.flush();
    return toSnapshotDto(row);
  });
}
