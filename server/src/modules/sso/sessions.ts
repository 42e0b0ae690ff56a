// Nyx session tokens for single sign-on: an api_tokens row of kind `session` with an expiry, and
// a refresh token (hashed in sso_sessions) that trades for the next one.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '#protocol/roles.ts';
import type { SsoSession } from '#protocol/sso.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { ApiToken } from '#server/modules/tenancy/api-token.entity.ts';
import { hashToken } from '#server/modules/tenancy/service.ts';
import { Tenant } from '#server/modules/tenancy/tenant.entity.ts';
import type { IUser } from '#server/modules/tenancy/user.entity.ts';
import type { ISsoConfig } from './sso-config.entity.ts';
import { SsoSessionRow, type ISsoSession } from './sso-session.entity.ts';

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newRefreshToken(): string {
  return `nyxr_${randomBytes(30).toString('base64url')}`;
}

/** A session token in the api_tokens table: same format and checks as every token, plus an expiry. */
function createSessionToken(em: EntityManager, user: IUser, config: ISsoConfig): { row: { id: string; expiresAt: Date }; secret: string } {
  const secret = `nyx_${randomBytes(30).toString('base64url')}`;
  const expiresAt = new Date(Date.now() + config.sessionHours * HOUR_MS);
  const id = randomUUID();
  em.create(ApiToken, {
    id,
    tenantId: user.tenantId,
    userId: user.id,
    name: 'single sign-on session',
    prefix: secret.slice(0, 12),
    tokenHash: hashToken(secret),
    kind: 'session',
    scope: 'admin',
    expiresAt,
  });
  return { row: { id, expiresAt }, secret };
}

async function answer(em: EntityManager, user: IUser, role: Role, token: { row: { id: string; expiresAt: Date }; secret: string }, session: ISsoSession, refreshToken: string): Promise<SsoSession> {
  const tenant = await em.findOneOrFail(Tenant, { id: user.tenantId });
  return {
    token: token.secret,
    tokenId: token.row.id,
    expiresAt: token.row.expiresAt.toISOString(),
    refreshToken,
    refreshExpiresAt: session.expiresAt.toISOString(),
    tenant: { id: tenant.id, name: tenant.name },
    user: { id: user.id, email: user.email, displayName: user.displayName ?? null, role },
  };
}

/** After a completed sign-in: a first session token and its refresh token. Inside the tenant's transaction. */
export async function openSession(em: EntityManager, config: ISsoConfig, user: IUser, role: Role, subject: string, idpRefreshSealed: string | null): Promise<SsoSession> {
  const token = createSessionToken(em, user, config);
  const refreshToken = newRefreshToken();
  const session = em.create(SsoSessionRow, {
    id: randomUUID(),
    tenantId: user.tenantId,
    userId: user.id,
    tokenId: token.row.id,
    refreshHash: sha256Hex(refreshToken),
    idpRefreshSealed,
    subject,
    expiresAt: new Date(Date.now() + config.refreshDays * DAY_MS),
  });
  recordAudit(em, { tenantId: user.tenantId, userId: user.id }, 'sso.sign_in', 'user', user.id, { subject, role, tokenPrefix: token.secret.slice(0, 12) });
  await em.flush();
  return answer(em, user, role, token, session, refreshToken);
}

/**
 * The next token of a session whose refresh token was already claimed (rotated to `refreshToken`'s
 * hash by the caller). The previous token is revoked in the same transaction.
 */
export async function renewSession(
  em: EntityManager,
  config: ISsoConfig,
  user: IUser,
  role: Role,
  session: ISsoSession,
  refreshToken: string,
  idpRefreshSealed: string | null | undefined,
): Promise<{ session: SsoSession; previousTokenId: string }> {
  const previousTokenId = session.tokenId;
  await em.nativeUpdate(ApiToken, { id: previousTokenId, revokedAt: null }, { revokedAt: new Date() });
  const token = createSessionToken(em, user, config);
  session.tokenId = token.row.id;
  session.refreshedAt = new Date();
  if (idpRefreshSealed !== undefined) session.idpRefreshSealed = idpRefreshSealed;
  recordAudit(em, { tenantId: user.tenantId, userId: user.id }, 'sso.refresh', 'user', user.id, { role, tokenPrefix: token.secret.slice(0, 12) });
  await em.flush();
  return { session: await answer(em, user, role, token, session, refreshToken), previousTokenId };
}

/** Ends a session and its current token; answers the token id to forget on every instance. */
export async function closeSession(em: EntityManager, session: ISsoSession, reason: string): Promise<string> {
  session.revokedAt ??= new Date();
  await em.nativeUpdate(ApiToken, { id: session.tokenId, revokedAt: null }, { revokedAt: new Date() });
  recordAudit(em, { tenantId: session.tenantId, userId: session.userId }, 'sso.sign_out', 'user', session.userId, { reason });
  await em.flush();
  return session.tokenId;
}
