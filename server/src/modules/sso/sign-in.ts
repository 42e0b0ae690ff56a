// The browser side of single sign-on: start (state, nonce, PKCE towards the IdP), the IdP's
// callback (every check, then the member and their role), and the handoff of the result to the
// client that started it (a one-time code that only its PKCE verifier can redeem).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { SsoCallbackQuery, SsoExchange, SsoSession, SsoStart, SsoStarted } from '#protocol/sso.ts';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError, ValidationError } from '#server/errors.ts';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import { recordSecurityEvent, type SecurityEventInput } from '#server/modules/audit/service.ts';
import { Tenant, type ITenant } from '#server/modules/tenancy/tenant.entity.ts';
import { User } from '#server/modules/tenancy/user.entity.ts';
import type { Role } from '#protocol/roles.ts';
import { clientSecretOf, enabledConfigOf } from './config-service.ts';
import { describeIdpError, idpConfiguration, isNonceMismatch, oidc } from './idp-client.ts';
import type { SsoLimits } from './limits.ts';
import { resolveMembership } from './membership.ts';
import { redirectProblem } from './policy.ts';
import { openSession, sha256Hex } from './sessions.ts';
import { SsoLoginRow } from './sso-login.entity.ts';

/** How long a sign-in may take, from start to the code exchange. */
const LOGIN_TTL_MS = 10 * 60_000;

export interface SsoContext {
  orm: Orm;
  secretBox: SecretBox;
  limits: SsoLimits;
}

type SsoEventKind = Extract<SecurityEventInput['kind'], `sso_${string}`>;

async function securityEvent(orm: Orm, kind: SsoEventKind, remoteAddress: string | null, tenantId: string | null, target: string | null, detail?: Record<string, unknown>): Promise<void> {
  await recordSecurityEvent(orm, { kind, remoteAddress, tenantId, target, detail: detail ?? null }).catch(() => undefined);
}

async function findTeam(orm: Orm, team: string): Promise<ITenant | null> {
  const em = systemEm(orm);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(team)) return em.findOne(Tenant, { id: team });
  const named = await em.find(Tenant, { name: team }, { limit: 2 });
  if (named.length > 1) throw new ValidationError('team: several teams have this name; use the team id', 'team');
  return named[0] ?? null;
}

export async function startSignIn(sso: SsoContext, input: z.output<typeof SsoStart>, callbackUrl: string, remoteAddress: string | null): Promise<SsoStarted> {
  sso.limits.takeStart(remoteAddress);
  const tenant = await findTeam(sso.orm, input.team);
  // A team without single sign-on and a team that does not exist answer alike.
  const config = tenant ? await enabledConfigOf(sso.orm, tenant.id) : null;
  if (!tenant || !config) throw new NotFoundError(`team "${input.team}" with single sign-on`);
  const problem = redirectProblem(input.redirectUri, config.redirectOrigins);
  if (problem) throw new ValidationError(`redirectUri: ${problem}`, 'redirectUri');

  const configuration = await idpConfiguration({ issuerUrl: config.issuerUrl, clientId: config.clientId, clientSecret: clientSecretOf(config, sso.secretBox) });
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const expiresAt = new Date(Date.now() + LOGIN_TTL_MS);
  const em = systemEm(sso.orm);
  em.create(SsoLoginRow, {
    tenantId: tenant.id,
    stateHash: sha256Hex(state),
    nonce,
    codeVerifier,
    callbackUrl,
    clientRedirect: input.redirectUri,
    clientState: input.clientState,
    handoffChallenge: input.codeChallenge,
    expiresAt,
  });
  await em.flush();
  const authorizationUrl = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: callbackUrl,
    scope: config.scopes.join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { authorizationUrl: authorizationUrl.href, expiresAt: expiresAt.toISOString() };
}

function withParams(target: string, params: Record<string, string>): string {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/**
 * The IdP sent the browser back. A state we did not issue (or issued and already used) is refused
 * with a 400; a nonce that is not ours too. Both are security events. Other failures go back to
 * the client as `error` and `error_description`, so the editor can say what happened.
 * Answers the URL to redirect the browser to.
 */
export async function finishCallback(sso: SsoContext, query: z.output<typeof SsoCallbackQuery>, rawQuery: string, remoteAddress: string | null): Promise<string> {
  sso.limits.checkFailures(remoteAddress);
  const refuseState = async (tenantId: string | null, why: string): Promise<never> => {
    sso.limits.takeFailure(remoteAddress);
    await securityEvent(sso.orm, 'sso_state_invalid', remoteAddress, tenantId, null, { why });
    throw new ValidationError(`state: ${why}; start the sign-in again from the editor`, 'state');
  };
  if (!query.state) return refuseState(null, 'missing');
  const em = systemEm(sso.orm);
  const login = await em.findOne(SsoLoginRow, { stateHash: sha256Hex(query.state) });
  if (!login) return refuseState(null, 'not issued by this server');
  if (login.completedAt) return refuseState(login.tenantId, 'already used');
  if (login.expiresAt.getTime() <= Date.now()) return refuseState(login.tenantId, 'expired');
  // Single use, even when two callbacks race.
  const claimed = await em.nativeUpdate(SsoLoginRow, { id: login.id, completedAt: null }, { completedAt: new Date(), codeVerifier: null });
  if (claimed !== 1) return refuseState(login.tenantId, 'already used');

  const back = (params: Record<string, string>) => withParams(login.clientRedirect, { ...params, state: login.clientState });
  const refused = async (error: string, description: string, kind: SsoEventKind = 'sso_sign_in_refused', target: string | null = null) => {
    await securityEvent(sso.orm, kind, remoteAddress, login.tenantId, target, { error, description: description.slice(0, 300) });
    return back({ error, error_description: description });
  };
  if (query.error) return refused(query.error, query.error_description ?? 'The identity provider did not sign you in.');
  const config = await enabledConfigOf(sso.orm, login.tenantId);
  if (!config) return refused('access_denied', 'Single sign-on is off for this team.');

  let claims: Record<string, unknown>;
  let idpRefresh: string | undefined;
  try {
    const configuration = await idpConfiguration({ issuerUrl: config.issuerUrl, clientId: config.clientId, clientSecret: clientSecretOf(config, sso.secretBox) });
    const currentUrl = new URL(login.callbackUrl);
    currentUrl.search = rawQuery;
    const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: login.codeVerifier!,
      expectedState: query.state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = await identityClaims(configuration, tokens);
    idpRefresh = tokens.refresh_token;
  } catch (error) {
    if (isNonceMismatch(error)) {
      sso.limits.takeFailure(remoteAddress);
      await securityEvent(sso.orm, 'sso_nonce_mismatch', remoteAddress, login.tenantId, null);
      throw new ValidationError('nonce: the identity provider\'s ID token carries a nonce this sign-in did not send; start the sign-in again from the editor', 'nonce');
    }
    return refused('invalid_grant', `The identity provider's answer was refused: ${describeIdpError(error)}`, 'sso_callback_refused');
  }

  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320) return refused('access_denied', 'The identity provider sent no email address: request the "email" scope.');
  if (claims.email_verified === false) return refused('access_denied', `The identity provider has not verified ${email}.`, 'sso_sign_in_refused', email);
  const displayName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : null;
  const subject = `${String(claims.iss ?? config.issuerUrl)} ${String(claims.sub)}`.slice(0, 300);

  const membership = await withTenant(sso.orm, { tenantId: login.tenantId, userId: null }, async (tx) => {
    const result = await resolveMembership(tx, config, { email, displayName, claims });
    if (result.ok) await tx.flush();
    return result;
  });
  if (!membership.ok) return refused('access_denied', membership.reason, 'sso_sign_in_refused', email);

  const handoff = randomBytes(32).toString('base64url');
  await em.nativeUpdate(SsoLoginRow, { id: login.id }, {
    userId: membership.user.id,
    subject,
    handoffHash: sha256Hex(handoff),
    idpRefreshSealed: idpRefresh ? sso.secretBox.encrypt(idpRefresh, `${login.tenantId}/sso-refresh`) : null,
  });
  return back({ code: handoff });
}

/** The ID token's claims, completed by the userinfo endpoint when the IdP has one (groups often live there). */
export async function identityClaims(configuration: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): Promise<Record<string, unknown>> {
  const idClaims = (tokens.claims() ?? {}) as Record<string, unknown>;
  if (!configuration.serverMetadata().userinfo_endpoint || !tokens.access_token || typeof idClaims.sub !== 'string') return idClaims;
  try {
    const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    return { ...userinfo, ...idClaims };
  } catch {
    return idClaims;
  }
}

export async function exchangeCode(sso: SsoContext, input: z.output<typeof SsoExchange>, remoteAddress: string | null): Promise<SsoSession> {
  sso.limits.checkFailures(remoteAddress);
  const refuse = async (field: 'code' | 'codeVerifier', why: string, tenantId: string | null): Promise<never> => {
    sso.limits.takeFailure(remoteAddress);
    await securityEvent(sso.orm, 'sso_handoff_invalid', remoteAddress, tenantId, null, { field });
    throw new ValidationError(`${field}: ${why}`, field);
  };
  const em = systemEm(sso.orm);
  const login = await em.findOne(SsoLoginRow, { handoffHash: sha256Hex(input.code) });
  if (!login || !login.userId || login.consumedAt || login.expiresAt.getTime() <= Date.now()) return refuse('code', 'unknown, expired or already used; sign in again', login?.tenantId ?? null);
  const claimed = await em.nativeUpdate(SsoLoginRow, { id: login.id, consumedAt: null }, { consumedAt: new Date() });
  if (claimed !== 1) return refuse('code', 'unknown, expired or already used; sign in again', login.tenantId);
  const challenge = Buffer.from(await oidc.calculatePKCECodeChallenge(input.codeVerifier));
  const expected = Buffer.from(login.handoffChallenge);
  if (challenge.length !== expected.length || !timingSafeEqual(challenge, expected)) {
    return refuse('codeVerifier', 'does not match the code challenge this sign-in started with', login.tenantId);
  }
  const config = await enabledConfigOf(sso.orm, login.tenantId);
  if (!config) return refuse('code', 'single sign-on was turned off for this team meanwhile', login.tenantId);
  const userId = login.userId;
  return withTenant(sso.orm, { tenantId: login.tenantId, userId }, async (tx) => {
    const user = await tx.findOneOrFail(User, { id: userId });
    return openSession(tx, config, user, user.role as Role, login.subject ?? '', login.idpRefreshSealed ?? null);
  });
}
