import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * One sign-in in flight, from `POST /sso/start` to the code exchange (ten minutes at most). Looked
 * up by the hash of the OIDC `state` (the callback knows no tenant yet), then by the hash of the
 * one-time handoff code. Each step is single use: `completedAt`, then `consumedAt`.
 */
export const SsoLoginRow = defineEntity({
  name: 'SsoLogin',
  tableName: 'sso_logins',
  comment: 'Single sign-ons in flight: state, nonce and PKCE verifier towards the IdP, the handoff towards the client.',
  ...tenantRls('sso_logins', ['select', 'insert', 'update', 'delete']),
  indexes: [{ properties: ['stateHash'] }, { properties: ['handoffHash'] }, { properties: ['expiresAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    /** SHA-256 of the OIDC state (random, server-generated). */
    stateHash: p.string().length(64),
    nonce: p.string().length(100),
    /** The PKCE verifier towards the IdP. Lives ten minutes and is cleared once used. */
    codeVerifier: p.string().length(128).nullable(),
    /** Our redirect_uri at the IdP as sent with this sign-in (the token request must repeat it). */
    callbackUrl: p.string().length(600),
    clientRedirect: p.string().length(2000),
    clientState: p.string().length(200),
    /** base64url(SHA-256(client verifier)): the client's own PKCE towards us. */
    handoffChallenge: p.string().length(43),
    handoffHash: p.string().length(64).nullable(),
    userId: p.uuid().nullable(),
    /** The IdP's `iss` and `sub` of the sign-in, carried to the session for the audit trail. */
    subject: p.string().length(300).nullable(),
    /** The IdP's refresh token (sealed), handed on to the session. */
    idpRefreshSealed: p.text().nullable(),
    expiresAt: p.datetime(),
    completedAt: p.datetime().nullable(),
    consumedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ISsoLogin = InferEntity<typeof SsoLoginRow>;
