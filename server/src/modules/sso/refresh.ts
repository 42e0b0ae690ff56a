// Renewing and ending single sign-on sessions.
import type { z } from 'zod';
import type { Role } from '#protocol/roles.ts';
import type { SsoRefresh, SsoSession } from '#protocol/sso.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { AppError, ConflictError, UnauthorizedError } from '#server/errors.ts';
import { recordSecurityEvent } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { User } from '#server/modules/tenancy/user.entity.ts';
import { clientSecretOf, enabledConfigOf } from './config-service.ts';
import { describeIdpError, idpConfiguration, oidc } from './idp-client.ts';
import { resolveMembership } from './membership.ts';
import { closeSession, newRefreshToken, renewSession, sha256Hex } from './sessions.ts';
import type { SsoContext } from './sign-in.ts';
import { identityClaims } from './sign-in.ts';
import { SsoSessionRow, type ISsoSession } from './sso-session.entity.ts';

class SsoForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export interface Revoker {
  /** After a revocation committed: every instance forgets the token now. */
  revoked(tokenId: string): void;
}

/**
 * Trades a refresh token for the next session token. The refresh token is claimed (rotated)
 * before anything else, so two uses of one token never both succeed. When the IdP gave a refresh
 * token, it is used too: the IdP may end the session, and the groups it answers set the role again.
 */
export async function refreshSession(sso: SsoContext, revoker: Revoker, input: z.output<typeof SsoRefresh>, remoteAddress: string | null): Promise<SsoSession> {
  sso.limits.checkFailures(remoteAddress);
  const em = systemEm(sso.orm);
  const session = await em.findOne(SsoSessionRow, { refreshHash: sha256Hex(input.refreshToken) });
  const refuse = async (message: string, tenantId: string | null): Promise<never> => {
    sso.limits.takeFailure(remoteAddress);
    await recordSecurityEvent(sso.orm, { kind: 'sso_refresh_invalid', remoteAddress, tenantId, target: input.refreshToken.slice(0, 12) }).catch(() => undefined);
    throw new UnauthorizedError(message);
  };
  if (!session) {
    // A refresh token that was already traded in: either the client retried, or a copy of it is in
    // someone else's hands. Which one cannot be told, so the session ends (OAuth 2.0 BCP, rotation).
    const replayed = await em.findOne(SsoSessionRow, { previousRefreshHash: sha256Hex(input.refreshToken), revokedAt: null });
    if (replayed) {
      const tokenId = await withTenant(sso.orm, { tenantId: replayed.tenantId, userId: replayed.userId }, async (tx) =>
        closeSession(tx, await tx.findOneOrFail(SsoSessionRow, { id: replayed.id }), 'refresh token reused'),
      );
      revoker.revoked(tokenId);
      return refuse('This refresh token was already used, so the session was ended to be safe; sign in again.', replayed.tenantId);
    }
    return refuse('Invalid refresh token: unknown, expired or revoked; sign in again.', null);
  }
  if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) return refuse('Invalid refresh token: expired or revoked; sign in again.', session.tenantId);
  const next = newRefreshToken();
  const claimed = await em.nativeUpdate(
    SsoSessionRow,
    { id: session.id, refreshHash: session.refreshHash, revokedAt: null },
    { refreshHash: sha256Hex(next), previousRefreshHash: session.refreshHash },
  );
  if (claimed !== 1) return refuse('Invalid refresh token: it was already used; sign in again.', session.tenantId);

  const end = async (reason: string, error: AppError): Promise<never> => {
    const tokenId = await withTenant(sso.orm, { tenantId: session.tenantId, userId: session.userId }, async (tx) => {
      const row = await tx.findOneOrFail(SsoSessionRow, { id: session.id });
      return closeSession(tx, row, reason);
    });
    revoker.revoked(tokenId);
    throw error;
  };
  const config = await enabledConfigOf(sso.orm, session.tenantId);
  if (!config) return end('sso disabled', new UnauthorizedError('Single sign-on is off for this team: sign in with a token.'));

  let claims: Record<string, unknown> | null = null;
  let idpRefreshSealed: string | null | undefined;
  if (session.idpRefreshSealed) {
    const context = `${session.tenantId}/sso-refresh`;
    try {
      const configuration = await idpConfiguration({ issuerUrl: config.issuerUrl, clientId: config.clientId, clientSecret: clientSecretOf(config, sso.secretBox) });
      const tokens = await oidc.refreshTokenGrant(configuration, sso.secretBox.decrypt(session.idpRefreshSealed, context));
      claims = tokens.id_token ? await identityClaims(configuration, tokens) : null;
      if (!claims && tokens.access_token && configuration.serverMetadata().userinfo_endpoint) {
        claims = (await oidc.fetchUserInfo(configuration, tokens.access_token, oidc.skipSubjectCheck)) as Record<string, unknown>;
      }
      if (tokens.refresh_token) idpRefreshSealed = sso.secretBox.encrypt(tokens.refresh_token, context);
    } catch (error) {
      await recordSecurityEvent(sso.orm, { kind: 'sso_refresh_invalid', remoteAddress, tenantId: session.tenantId, actorUserId: session.userId, target: 'idp', detail: { error: describeIdpError(error) } }).catch(() => undefined);
      return end('idp refused', new UnauthorizedError(`The identity provider did not renew the session (${describeIdpError(error)}); sign in again.`));
    }
  }

  const outcome = await withTenant(sso.orm, { tenantId: session.tenantId, userId: session.userId }, async (tx) => {
    const user = await tx.findOneOrFail(User, { id: session.userId });
    if (user.removedAt) return { refused: `${user.email} was removed from this team.` } as const;
    let role = user.role as Role;
    if (claims) {
      const membership = await resolveMembership(tx, config, { email: user.email, displayName: user.displayName ?? null, claims });
      if (!membership.ok) return { refused: membership.reason } as const;
      role = membership.role;
    }
    const row = await tx.findOneOrFail(SsoSessionRow, { id: session.id });
    return { renewed: await renewSession(tx, config, user, role, row, next, idpRefreshSealed) } as const;
  });
  if (outcome.refused !== undefined) return end('membership refused', new SsoForbiddenError(outcome.refused));
  const renewed = outcome.renewed!;
  revoker.revoked(renewed.previousTokenId);
  return renewed.session;
}

/**
 * Ends the single sign-on session of the calling token: the token and its refresh token. A
 * personal token is not a session (409): those are revoked with POST /api/v1/tokens/:id/revoke.
 */
export async function signOut(sso: SsoContext, revoker: Revoker, auth: Authenticated): Promise<void> {
  const closed = await withTenant(sso.orm, auth, async (tx) => {
    const session: ISsoSession | null = await tx.findOne(SsoSessionRow, { tokenId: auth.tokenId, revokedAt: null });
    return session ? closeSession(tx, session, 'signed out') : null;
  });
  if (!closed) throw new ConflictError('This token is not a single sign-on session; revoke a personal token with POST /api/v1/tokens/:id/revoke.', 'authorization');
  revoker.revoked(closed);
}
