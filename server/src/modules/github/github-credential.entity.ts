import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A tenant's GitHub token, encrypted like provider keys (SecretBox, AES-256-GCM, authenticated
 * with `${tenantId}/github`), and an optional API base URL (GitHub Enterprise).
 */
export const GithubCredential = defineEntity({
  name: 'GithubCredential',
  tableName: 'github_credentials',
  comment: 'A tenant\'s GitHub token (encrypted at rest) and API base URL; one per tenant.',
  ...tenantRls('github_credentials', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    encryptedToken: p.text(),
    tokenHint: p.string().length(16).nullable(),
    baseUrl: p.string().length(2000).nullable(),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IGithubCredential = InferEntity<typeof GithubCredential>;
