import { createHash, randomBytes } from 'node:crypto';
import type { SsoConfigInput, SsoSession } from '#protocol/sso.ts';
import { startFakeIdp, type FakeIdp } from '../../fakes/oidc-provider.ts';
import { api } from '../helpers/http.ts';
import type { TestNyx } from '../helpers/nyx.ts';
import { TestBrowser } from './browser.ts';

/** Where the "editor" listens in these tests: a loopback URL nothing serves (the browser stops there). */
export const EDITOR_REDIRECT = 'http://127.0.0.1:9/nyx-sso';

export function callbackUrlOf(nyx: TestNyx): string {
  return `${nyx.url}/api/v1/sso/callback`;
}

export async function startIdpFor(nyx: TestNyx, options: { claimsInIdToken?: boolean } = {}): Promise<FakeIdp> {
  return startFakeIdp({ redirectUris: [callbackUrlOf(nyx)], ...options });
}

export async function configureSso(nyx: TestNyx, ownerToken: string, idp: FakeIdp, settings: Partial<SsoConfigInput> = {}) {
  const response = await api(nyx.url, 'PUT', '/api/v1/sso/config', {
    token: ownerToken,
    body: { issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, groupRoles: { 'nyx-admins': 'admin', 'nyx-viewers': 'viewer' }, ...settings },
  });
  if (response.status !== 200) throw new Error(`PUT /sso/config answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** What an editor keeps while the browser is away: its state and PKCE verifier towards Nyx. */
export interface PendingSignIn {
  authorizationUrl: string;
  clientState: string;
  verifier: string;
}

export async function startSignIn(nyx: TestNyx, team: string, redirectUri = EDITOR_REDIRECT): Promise<PendingSignIn> {
  const verifier = randomBytes(32).toString('base64url');
  const clientState = randomBytes(12).toString('base64url');
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  const response = await api(nyx.url, 'POST', '/api/v1/sso/start', { body: { team, redirectUri, clientState, codeChallenge } });
  if (response.status !== 201) throw new Error(`POST /sso/start answered ${response.status}: ${JSON.stringify(response.body)}`);
  return { authorizationUrl: response.body.authorizationUrl, clientState, verifier };
}

/** The whole sign-in as an editor and a person at the browser do it: start, IdP pages, callback, exchange. */
export async function signInThroughIdp(nyx: TestNyx, team: string, login: string): Promise<{ session: SsoSession; redirect: URL }> {
  const pending = await startSignIn(nyx, team);
  const redirect = await new TestBrowser().signIn(pending.authorizationUrl, { login, stopAt: EDITOR_REDIRECT });
  if (redirect.searchParams.get('state') !== pending.clientState) throw new Error(`the editor got another state back: ${redirect.href}`);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`the sign-in ended without a code: ${redirect.href}`);
  const exchanged = await api<SsoSession>(nyx.url, 'POST', '/api/v1/sso/token', { body: { code, codeVerifier: pending.verifier } });
  if (exchanged.status !== 201) throw new Error(`POST /sso/token answered ${exchanged.status}: ${JSON.stringify(exchanged.body)}`);
  return { session: exchanged.body, redirect };
}

export async function securityEventsOf(nyx: TestNyx, kind: string): Promise<{ tenant_id: string | null; count: number; target: string | null; detail: unknown }[]> {
  return nyx.database.orm.em.fork().execute(`select tenant_id, count, target, detail from security_events where kind = ? order by created_at`, [kind]);
}
