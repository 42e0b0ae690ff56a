import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ValidationError } from '#server/errors.ts';
import { decodeSource } from './analyzers/source-text.ts';

/** A verified blob ready to be stored. */
export interface BlobInput {
  sha256: string;
  content: Buffer;
}

export interface StoredBlobInfo {
  sha256: string;
  size: number;
  isBinary: boolean;
}

export function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export function isBinaryContent(content: Uint8Array): boolean {
  return decodeSource(content).kind === 'binary';
}

export function blobTooLarge(what: string, size: number, limit: number, field: string): AppError {
  return new AppError(413, 'file_too_large', `${what} is ${size} bytes, over the limit of ${limit} bytes: leave it out of the snapshot.`, { field });
}

/**
 * Checks an uploaded blob against its name and the limits. Binary content is refused: snapshots
 * hold source files for analysis, and the client is expected to leave binaries out.
 */
export function verifyUpload(sha256: string, content: Buffer, maxBytes: number, field: string): BlobInput {
  if (content.length > maxBytes) throw blobTooLarge(`blob ${sha256}`, content.length, maxBytes, field);
  const actual = sha256Of(content);
  if (actual !== sha256) {
    throw new ValidationError(`${field}: the content's sha256 is ${actual}, not ${sha256}: the upload was altered or the name is wrong`, field);
  }
  if (isBinaryContent(content)) {
    throw new AppError(422, 'binary_content', `${field}: blob ${sha256} is binary (a NUL byte in its first 8 KiB); leave binary files out of snapshots.`, { field });
  }
  return { sha256, content };
}

/** Rows and content bytes per insert statement: one statement per blob made an upload of thousands a round trip each. */
const INSERT_BATCH_ROWS = 200;
const INSERT_BATCH_BYTES = 2 * 1024 * 1024;

/** Stores blobs the tenant lacks; returns the hashes that were new. An existing blob is left as it is. */
export async function insertBlobs(em: EntityManager, tenantId: string, userId: string | null, blobs: readonly BlobInput[], isBinary = false): Promise<Set<string>> {
  const created = new Set<string>();
  let start = 0;
  while (start < blobs.length) {
    let end = start;
    let bytes = 0;
    while (end < blobs.length && end - start < INSERT_BATCH_ROWS && (end === start || bytes + blobs[end]!.content.length <= INSERT_BATCH_BYTES)) bytes += blobs[end++]!.content.length;
    const batch = blobs.slice(start, end);
    // A hash twice in one request is inserted once: `do nothing` skips the second row.
    const rows = await em.execute<{ sha256: string }[]>(
      `insert into blobs (id, tenant_id, sha256, size, is_binary, content, created_by, created_at)
       values ${batch.map(() => '(gen_random_uuid(), ?, ?, ?, ?, ?, ?, now())').join(', ')}
       on conflict (tenant_id, sha256) do nothing returning sha256`,
      batch.flatMap((blob) => [tenantId, blob.sha256, blob.content.length, isBinary, isBinary ? Buffer.alloc(0) : blob.content, userId]),
    );
    for (const row of rows) created.add(row.sha256);
    start = end;
  }
  return created;
}

/** Size and binary flag of the blobs among `hashes` that the tenant has. */
export async function blobInfo(em: EntityManager, hashes: readonly string[]): Promise<Map<string, StoredBlobInfo>> {
  const found = new Map<string, StoredBlobInfo>();
  for (let i = 0; i < hashes.length; i += 1000) {
    const batch = hashes.slice(i, i + 1000);
    const rows = await em.execute<{ sha256: string; size: number; is_binary: boolean }[]>(
      `select sha256, size, is_binary from blobs where sha256 in (?)`,
      [batch],
    );
    for (const row of rows) found.set(row.sha256, { sha256: row.sha256, size: Number(row.size), isBinary: row.is_binary });
  }
  return found;
}

/** Contents of the given blobs (RLS keeps them to the tenant). */
export async function blobContents(em: EntityManager, hashes: readonly string[]): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  if (hashes.length === 0) return contents;
  const rows = await em.execute<{ sha256: string; content: Buffer }[]>(`select sha256, content from blobs where sha256 in (?)`, [hashes]);
  for (const row of rows) contents.set(row.sha256, Buffer.from(row.content));
  return contents;
}
