import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/** Only the SHA-256 of a token is stored; the token itself is shown once, at creation. */
export const ApiToken = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  comment: 'Bearer tokens; only the SHA-256 hash is stored.',
  ...tenantRls('api_tokens', ['select', 'insert', 'update', 'delete']),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    userId: p.uuid().index(),
    name: p.string().length(200),
    /** The first characters of the token, so people can tell their tokens apart. */
    prefix: p.string().length(16),
    tokenHash: p.string().length(64).unique(),
    /** `personal` (created by a person or the CLI) or `session` (issued by single sign-on, always with an expiry). */
    kind: p.string().length(16).default('personal'),
    /** read, write or admin (protocol/tokens.ts): caps the role the token acts with. */
    scope: p.string().length(16).default('admin'),
    /** Null: never expires. */
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IApiToken = InferEntity<typeof ApiToken>;
