// The identity provider of the extension tests: a real OpenID Connect provider on loopback
// (test/fakes/oidc-provider.ts), started by the runner next to the live server. The in-host suites
// (another process) find it through NYX_TEST_IDP; the UI suites (this process) through testIdp().
import { readFileSync } from 'node:fs';
import { startFakeIdp, type FakeIdp } from '../fakes/oidc-provider.ts';
import type { LiveServer } from './live-server.ts';

/** The login of the live server's own (owner) user at the IdP; in the `nyx-admins` group. */
export const OWNER_LOGIN = 'owner';

let current: FakeIdp | undefined;

export async function startTestIdp(server: LiveServer): Promise<FakeIdp> {
  const { token } = JSON.parse(readFileSync(server.credentialsFile, 'utf8')) as { token: string };
  const me = (await (await fetch(new URL('/api/v1/me', server.url), { headers: { authorization: `Bearer ${token}` } })).json()) as { user: { email: string } };
  // 127.0.0.2, not 127.0.0.1: code-server's openExternal rewrites localhost and 127.0.0.1 URLs to
  // its own /proxy/<port>/ path, where the IdP's path-scoped interaction cookie never comes back.
  // A company IdP is never on those names; another loopback address behaves like it.
  current = await startFakeIdp({ redirectUris: [`${server.url}/api/v1/sso/callback`], host: '127.0.0.2' });
  current.accounts.set(OWNER_LOGIN, { email: me.user.email, name: 'Local Owner', groups: ['nyx-admins'] });
  process.env.NYX_TEST_IDP = JSON.stringify({ issuer: current.issuer, clientId: current.clientId, clientSecret: current.clientSecret, ownerLogin: OWNER_LOGIN });
  return current;
}

export function testIdp(): FakeIdp {
  if (!current) throw new Error('the runner did not start the test identity provider');
  return current;
}
