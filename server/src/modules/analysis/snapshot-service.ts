import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { AppError, ConflictError, ValidationError } from '#server/errors.ts';
import { MAX_PATH_LENGTH, type ManifestEntry, type Snapshot as SnapshotDto, type SnapshotCheck, type SnapshotCheckResult, type SnapshotCreate } from '#protocol/analysis.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { blobInfo, blobTooLarge, insertBlobs, verifyUpload } from './blob-store.ts';
import { Snapshot, type ISnapshot, type SnapshotDelta } from './snapshot.entity.ts';

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

/** What the manifest stores of an entry (not the content that may come with it). */
const manifestEntry = ({ path, sha256, size }: ManifestEntry): ManifestEntry => ({ path, sha256, size });

/** Checks a `baseSnapshotId` request against its base: the same project, and every `removed` path in it and not in `files`. */
async function checkBase(em: EntityManager, projectId: string, body: z.output<typeof SnapshotCreate> & { baseSnapshotId: string }): Promise<void> {
  const [base] = await em.execute<{ project_id: string }[]>(`select project_id from snapshots where id = ?`, [body.baseSnapshotId]);
  // The route checked that the id is a snapshot of this tenant; it must also be of this project.
  if (!base || base.project_id !== projectId) throw new ValidationError(`baseSnapshotId: snapshot ${body.baseSnapshotId} is not a snapshot of project ${projectId}`, 'baseSnapshotId');
  const removed = body.removed ?? [];
  if (!removed.length) return;
  const sent = new Set(body.files.map((file) => file.path));
  const both = removed.findIndex((path) => sent.has(path));
  if (both >= 0) throw new ValidationError(`removed.${both}: ${JSON.stringify(removed[both])} is also in files`, `removed.${both}`);
  const [unknown] = await em.execute<{ ord: string }[]>(
    `select r.ord from jsonb_array_elements_text(?::jsonb) with ordinality r(path, ord)
       left join (select e->>'path' as path from snapshots b, jsonb_array_elements(b.files) e where b.id = ?) known on known.path = r.path
      where known.path is null order by r.ord limit 1`,
    [JSON.stringify(removed), body.baseSnapshotId],
  );
  if (unknown) {
    const index = Number(unknown.ord) - 1;
    throw new ValidationError(`removed.${index}: ${JSON.stringify(removed[index])} is not in the base snapshot`, `removed.${index}`);
  }
}

/** At most this many entries are replaced in place (one `jsonb_set` each); more go the general way. */
const MAX_IN_PLACE = 32;

/**
 * The common case of a save: a few files of the base changed, none added or removed. Their
 * entries are swapped at their positions (`jsonb_set`), so the order stays and the base's
 * thousands of entries are neither re-aggregated nor sorted again. The row also records its base
 * and the entries that differ from it, which the next analysis reads instead of diffing the two
 * manifests (decision 0025). null when the request adds, removes or changes too many files: then
 * insertFromBase's general statement runs.
 */
async function replaceInPlace(em: EntityManager, auth: TenantScope, projectId: string, id: string, body: z.output<typeof SnapshotCreate> & { baseSnapshotId: string }): Promise<ISnapshot | null> {
  if (body.removed?.length || body.files.length === 0 || body.files.length > MAX_IN_PLACE) return null;
  const found = await em.execute<{ position: number; path: string; sha256: string; size: string }[]>(
    `select (x.ord - 1)::int as position, x.e->>'path' as path, x.e->>'sha256' as sha256, x.e->>'size' as size
       from snapshots b, jsonb_array_elements(b.files) with ordinality x(e, ord)
      where b.id = ? and x.e->>'path' in (select jsonb_array_elements_text(?::jsonb))`,
    [body.baseSnapshotId, JSON.stringify(body.files.map((file) => file.path))],
  );
  if (found.length !== body.files.length) return null;
  const byPath = new Map(found.map((row) => [row.path, row]));
  let files = 'b.files';
  const args: unknown[] = [];
  let sizeChange = 0;
  for (const file of body.files) {
    const old = byPath.get(file.path)!;
    files = `jsonb_set(${files}, ?::text[], ?::jsonb)`;
    args.push(`{${old.position}}`, JSON.stringify(manifestEntry(file)));
    sizeChange += file.size - Number(old.size);
  }
  // An entry sent as it was in the base is no change: the delta holds what a manifest diff would find.
  const delta: SnapshotDelta = { changed: body.files.filter((file) => byPath.get(file.path)!.sha256 !== file.sha256).map(manifestEntry), removed: [] };
  const [row] = await em.execute<{ file_count: number; total_bytes: string; created_at: Date }[]>(
    `insert into snapshots (id, tenant_id, project_id, source, files, file_count, total_bytes, created_by, created_at, base_snapshot_id, base_delta)
     select ?, ?, ?, ?, ${files}, b.file_count, b.total_bytes + ?, ?, now(), b.id, ?::jsonb from snapshots b where b.id = ?
     returning file_count, total_bytes, created_at`,
    [id, auth.tenantId, projectId, body.source, ...args, sizeChange, auth.userId, JSON.stringify(delta), body.baseSnapshotId],
  );
  return { id, tenantId: auth.tenantId, projectId, source: body.source, files: [], fileCount: row!.file_count, totalBytes: Number(row!.total_bytes), createdBy: auth.userId, createdAt: new Date(row!.created_at), baseSnapshotId: body.baseSnapshotId, baseDelta: delta };
}

/**
 * Writes a snapshot whose manifest is the base's with `removed` and the paths of `files` taken out
 * and `files` added, in one statement: the base's thousands of entries never leave the database
 * (decision 0024). Entries are ordered by path in byte order, like the rest of the manifest.
 */
async function insertFromBase(em: EntityManager, auth: TenantScope, projectId: string, body: z.output<typeof SnapshotCreate> & { baseSnapshotId: string }): Promise<ISnapshot> {
  const id = randomUUID();
  const replaced = await replaceInPlace(em, auth, projectId, id, body);
  if (replaced) return replaced;
  const dropped = [...body.files.map((file) => file.path), ...(body.removed ?? [])];
  const [row] = await em.execute<{ file_count: number; total_bytes: string; created_at: Date }[]>(
    `insert into snapshots (id, tenant_id, project_id, source, files, file_count, total_bytes, created_by, created_at)
     select ?, ?, ?, ?, coalesce(jsonb_agg(m.e order by m.e->>'path' collate "C"), '[]'::jsonb), count(*), coalesce(sum((m.e->>'size')::bigint), 0), ?, now()
       from (select e from snapshots b, jsonb_array_elements(b.files) e
              where b.id = ? and not (e->>'path' in (select jsonb_array_elements_text(?::jsonb)))
             union all
             select jsonb_array_elements(?::jsonb)) m(e)
     returning file_count, total_bytes, created_at`,
    [id, auth.tenantId, projectId, body.source, auth.userId, body.baseSnapshotId, JSON.stringify(dropped), JSON.stringify(body.files.map(manifestEntry))],
  );
  if (row!.file_count > MAX_SNAPSHOT_FILES) throw new ValidationError(`files: the snapshot would hold ${row!.file_count} files, over the limit of ${MAX_SNAPSHOT_FILES}`, 'files');
  return { id, tenantId: auth.tenantId, projectId, source: body.source, files: [], fileCount: row!.file_count, totalBytes: Number(row!.total_bytes), createdBy: auth.userId, createdAt: new Date(row!.created_at), baseSnapshotId: null, baseDelta: null };
}

/**
 * Writes a snapshot once every blob it names is stored. The caller has checked the project
 * (routes with requireProject; a sync runs for the project its run was created for) and, for a
 * `baseSnapshotId`, that the id is a snapshot of the tenant. Sizes come from the stored blobs, and
 * a declared size that disagrees is an error: the client hashed something else than it uploaded.
 * With `baseSnapshotId`, only the entries sent are checked: the base's were when it was written.
 */
export async function createSnapshot(
  orm: Orm,
  auth: TenantScope,
  projectId: string,
  body: z.output<typeof SnapshotCreate>,
  limits: SnapshotLimits,
): Promise<SnapshotDto> {
  checkManifest(body.files, limits);
  if (!body.baseSnapshotId && body.removed?.length) throw new ValidationError('removed: only with baseSnapshotId (the paths removed since that snapshot)', 'removed');
  return withTenant(orm, auth, async (em) => {
    const based = body.baseSnapshotId ? { ...body, baseSnapshotId: body.baseSnapshotId } : null;
    if (based) await checkBase(em, projectId, based);
    const inline = body.files.flatMap((file, index) =>
      file.contentBase64 === undefined ? [] : [verifyUpload(file.sha256, Buffer.from(file.contentBase64, 'base64'), limits.maxBlobBytes, `files.${index}.contentBase64`)],
    );
    if (inline.length) await insertBlobs(em, auth.tenantId, auth.userId, inline);
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
    let row: ISnapshot;
    if (based) {
      row = await insertFromBase(em, auth, projectId, based);
    } else {
      const files = body.files.map(manifestEntry).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      row = em.create(Snapshot, { tenantId: auth.tenantId, projectId, source: body.source, files, fileCount: files.length, totalBytes, createdBy: auth.userId });
    }
    const details = based ? { baseSnapshotId: based.baseSnapshotId, changed: body.files.length, removed: body.removed?.length ?? 0 } : {};
    recordAudit(em, auth, 'snapshot.create', 'snapshot', row.id, { projectId, files: row.fileCount, source: body.source, ...details });
    await em.flush();
    return toSnapshotDto(row);
  });
}
