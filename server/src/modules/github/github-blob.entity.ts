import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * What a git blob sha turned out to be: our sha256 blob, or a reason it was left out. A sync
 * fetches only blobs whose git sha is not here yet, so unchanged files cost nothing, and work
 * done by a sync that died is reused by the next.
 */
export const GithubBlob = defineEntity({
  name: 'GithubBlob',
  tableName: 'github_blobs',
  comment: 'Git blob sha -> stored blob sha256 (or why it was skipped), so syncs fetch only changed blobs.',
  ...tenantRls('github_blobs', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId', 'gitSha'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    gitSha: p.string().length(40),
    /** null when skipped. */
    sha256: p.string().length(64).nullable(),
    size: p.integer(),
    /** 'binary' or 'too-large'; null for an analyzable blob. */
    skipped: p.string().length(16).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IGithubBlob = InferEntity<typeof GithubBlob>;
