import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A signed-in editor: its current session token (an api_tokens row of kind `session`) and the
 * refresh token that replaces it. Each refresh rotates both; only hashes are stored.
 */
export const SsoSessionRow = defineEntity({
  name: 'SsoSession',
  tableName: 'sso_sessions',
  comment: 'Single sign-on sessions: the current session token and the (hashed) refresh token that renews it.',
  ...tenantRls('sso_sessions', ['select', 'insert', 'update', 'delete']),
  indexes: [{ properties: ['refreshHash'] }, { properties: ['previousRefreshHash'] }, { properties: ['tokenId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    userId: p.uuid().index(),
    /** The api_tokens row in use now (revoked and replaced at each refresh). */
    tokenId: p.uuid(),
    refreshHash: p.string().length(64),
    /** The refresh token this one replaced: seeing it again means a copy is in someone else's hands. */
    previousRefreshHash: p.string().length(64).nullable(),
    /** The IdP's refresh token, sealed: used at each refresh to re-read the groups. */
    idpRefreshSealed: p.text().nullable(),
    /** OIDC subject and issuer of the sign-in, for the audit trail. */
    subject: p.string().length(300),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
    refreshedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ISsoSession = InferEntity<typeof SsoSessionRow>;
