import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A file's content, named by the sha256 of its bytes, stored once per tenant however many
 * snapshots use it. Uploads are verified against the name. Binary content (a NUL byte in the
 * first 8 KiB) is kept only as a flag with empty content: it is never analyzed.
 */
export const Blob = defineEntity({
  name: 'Blob',
  tableName: 'blobs',
  comment: 'Content-addressed file contents (sha256 of the bytes) that snapshots point at; one per tenant and hash.',
  ...tenantRls('blobs', ['select', 'insert', 'delete']),
  uniques: [{ properties: ['tenantId', 'sha256'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    sha256: p.string().length(64),
    size: p.integer(),
    isBinary: p.boolean().default(false),
    content: p.blob(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IBlob = InferEntity<typeof Blob>;
