import assert from 'node:assert/strict';
import type { FakeIdp } from '../../fakes/oidc-provider.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { TestBrowser } from './browser.ts';
import { callbackUrlOf, configureSso, EDITOR_REDIRECT, securityEventsOf, signInThroughIdp, startIdpFor, startSignIn } from './helpers.ts';

// Single sign-on end to end against a real OpenID Connect provider on loopback (oidc-provider),
// its login and consent pages driven over HTTP like a browser does. Runs on both databases.
describe('single sign-on (OpenID Connect)', function () {
  this.timeout(120_000);
  let nyx: TestNyx;
  let idp: FakeIdp;
  let team: TestTenant;
  let teamName: string;
  let ownerEmail: string;

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => nyx.database.orm.em.fork().execute<T[]>(query, params);

  before(async () => {
    nyx = await sharedNyx();
    idp = await startIdpFor(nyx);
    team = await createTestTenant(nyx, 'sso');
    await sql(`update users set role = 'owner' where id = ?`, [team.userId]);
    [{ name: teamName }] = await sql<{ name: string }>(`select name from tenants where id = ?`, [team.tenantId]);
    [{ email: ownerEmail }] = await sql<{ email: string }>(`select email from users where id = ?`, [team.userId]);
    idp.accounts.set('owner', { email: ownerEmail, groups: ['staff'] });
    await configureSso(nyx, team.token, idp);
  });

  after(async () => {
    await idp?.close();
  });

  describe('settings', () => {
    it('stores the client secret sealed and never answers it', async () => {
      const read = await api(nyx.url, 'GET', '/api/v1/sso/config', { token: team.token });
      assert.equal(read.status, 200);
      assert.equal(read.body.config.issuerUrl, idp.issuer);
      assert.equal(read.body.config.hasClientSecret, true);
      assert.equal(read.body.callbackUrl, callbackUrlOf(nyx));
      assert.doesNotMatch(JSON.stringify(read.body), new RegExp(idp.clientSecret));
      const [row] = await sql<{ client_secret_sealed: string }>(`select client_secret_sealed from sso_configs where tenant_id = ?`, [team.tenantId]);
      assert.match(row.client_secret_sealed, /^v1\./);
      assert.ok(!row.client_secret_sealed.includes(idp.clientSecret));
    });

    it('keeps the stored secret when an update omits it', async () => {
      const updated = await api(nyx.url, 'PUT', '/api/v1/sso/config', {
        token: team.token,
        body: { issuerUrl: idp.issuer, clientId: idp.clientId, groupRoles: { 'nyx-admins': 'admin', 'nyx-viewers': 'viewer' } },
      });
      assert.equal(updated.status, 200);
      assert.equal(updated.body.config.hasClientSecret, true);
    });

    it('refuses an issuer that does not answer discovery (422) or is plain http off loopback (400), and keeps the settings', async () => {
      const unreachable = await api(nyx.url, 'PUT', '/api/v1/sso/config', { token: team.token, body: { issuerUrl: 'http://127.0.0.1:9/realms/none', clientId: 'x' } });
      assert.equal(unreachable.status, 422);
      assert.equal(unreachable.body.field, 'issuerUrl');
      const insecure = await api(nyx.url, 'PUT', '/api/v1/sso/config', { token: team.token, body: { issuerUrl: 'http://idp.example.com', clientId: 'x' } });
      assert.equal(insecure.status, 400);
      assert.equal(insecure.body.field, 'issuerUrl');
      const badRole = await api(nyx.url, 'PUT', '/api/v1/sso/config', { token: team.token, body: { issuerUrl: idp.issuer, clientId: 'x', groupRoles: { g: 'emperor' } } });
      assert.equal(badRole.status, 400);
      assert.equal(badRole.body.field, 'groupRoles.g');
      const read = await api(nyx.url, 'GET', '/api/v1/sso/config', { token: team.token });
      assert.equal(read.body.config.issuerUrl, idp.issuer);
      assert.equal(read.body.config.clientId, idp.clientId);
    });
  });

  describe('sign-in', () => {
    it('signs a member in through the IdP and issues an expiring session token bound to them', async () => {
      const { session } = await signInThroughIdp(nyx, teamName, 'owner');
      assert.equal(session.user.id, team.userId);
      assert.equal(session.user.role, 'owner');
      assert.equal(session.tenant.id, team.tenantId);
      const lifetimeHours = (Date.parse(session.expiresAt) - Date.now()) / 3_600_000;
      assert.ok(lifetimeHours > 11.9 && lifetimeHours <= 12, `session lifetime ${lifetimeHours} h`);
      const me = await api(nyx.url, 'GET', '/api/v1/me', { token: session.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.user.id, team.userId);
      const [row] = await sql<{ kind: string; expires_at: Date; user_id: string }>(`select kind, expires_at, user_id from api_tokens where id = ?`, [session.tokenId]);
      assert.equal(row.kind, 'session');
      assert.equal(row.user_id, team.userId);
      assert.equal(new Date(row.expires_at).toISOString(), session.expiresAt);
      const audit = await sql(`select action from audit_events where tenant_id = ? and action = 'sso.sign_in'`, [team.tenantId]);
      assert.ok(audit.length >= 1);
    });

    it('maps the IdP groups to a role on every sign-in', async () => {
      await sql(`insert into users (id, tenant_id, email, role, created_at) values (gen_random_uuid(), ?, 'grace@sso.test', 'member', now())`, [team.tenantId]);
      idp.accounts.set('grace', { email: 'Grace@SSO.test', groups: ['staff', 'nyx-admins'] });
      const first = await signInThroughIdp(nyx, team.tenantId, 'grace');
      assert.equal(first.session.user.role, 'admin');
      idp.accounts.set('grace', { email: 'grace@sso.test', groups: ['nyx-viewers'] });
      const second = await signInThroughIdp(nyx, teamName, 'grace');
      assert.equal(second.session.user.role, 'viewer');
      const [row] = await sql<{ role: string }>(`select role from users where tenant_id = ? and email = 'grace@sso.test'`, [team.tenantId]);
      assert.equal(row.role, 'viewer');
      const changes = await sql<{ data: { from: string; to: string } }>(`select data from audit_events where tenant_id = ? and action = 'member.role' and entity_id = ? order by created_at`, [
        team.tenantId,
        first.session.user.id,
      ]);
      assert.deepEqual(changes.map((change) => `${change.data.from}->${change.data.to}`), ['member->admin', 'admin->viewer']);
    });

    it('never demotes an owner through the IdP', async () => {
      idp.accounts.set('owner', { email: ownerEmail, groups: ['nyx-viewers'] });
      const { session } = await signInThroughIdp(nyx, teamName, 'owner');
      assert.equal(session.user.role, 'owner');
      idp.accounts.set('owner', { email: ownerEmail, groups: ['staff'] });
    });

    it('refuses an unknown email unless the team allows sign-up, then creates the member with the default role', async () => {
      idp.accounts.set('newcomer', { email: 'newcomer@sso.test', groups: [] });
      const pending = await startSignIn(nyx, teamName);
      const refused = await new TestBrowser().signIn(pending.authorizationUrl, { login: 'newcomer', stopAt: EDITOR_REDIRECT });
      assert.equal(refused.searchParams.get('error'), 'access_denied');
      assert.match(refused.searchParams.get('error_description') ?? '', /not a member of this team/);
      assert.equal(refused.searchParams.get('state'), pending.clientState);
      assert.equal(refused.searchParams.get('code'), null);
      assert.equal((await sql(`select 1 from users where tenant_id = ? and email = 'newcomer@sso.test'`, [team.tenantId])).length, 0);
      assert.ok((await securityEventsOf(nyx, 'sso_sign_in_refused')).some((event) => event.tenant_id === team.tenantId && event.target === 'newcomer@sso.test'));

      await configureSso(nyx, team.token, idp, { allowSignup: true, defaultRole: 'viewer' });
      const { session } = await signInThroughIdp(nyx, teamName, 'newcomer');
      assert.equal(session.user.email, 'newcomer@sso.test');
      assert.equal(session.user.role, 'viewer');
      await configureSso(nyx, team.token, idp);
    });

    it('lets an invitation for the email in, with the invitation\'s role', async () => {
      const invited = await api(nyx.url, 'POST', '/api/v1/invitations', { token: team.token, body: { role: 'member', email: 'invitee@sso.test' } });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      idp.accounts.set('invitee', { email: 'invitee@sso.test', groups: [] });
      const { session } = await signInThroughIdp(nyx, teamName, 'invitee');
      assert.equal(session.user.role, 'member');
      const [invitation] = await sql<{ accepted_user_id: string | null }>(`select accepted_user_id from invitations where id = ?`, [invited.body.invitation.id]);
      assert.equal(invitation.accepted_user_id, session.user.id);
    });

    it('refuses an email the IdP has not verified', async () => {
      await sql(`insert into users (id, tenant_id, email, role, created_at) values (gen_random_uuid(), ?, 'unverified@sso.test', 'member', now())`, [team.tenantId]);
      idp.accounts.set('unverified', { email: 'unverified@sso.test', emailVerified: false, groups: [] });
      const pending = await startSignIn(nyx, teamName);
      const refused = await new TestBrowser().signIn(pending.authorizationUrl, { login: 'unverified', stopAt: EDITOR_REDIRECT });
      assert.equal(refused.searchParams.get('error'), 'access_denied');
      assert.match(refused.searchParams.get('error_description') ?? '', /not verified/);
    });
  });

  describe('refused callbacks', () => {
    it('refuses a callback whose state this server did not issue (400, security event) and writes no member or token', async () => {
      idp.accounts.set('owner', { email: ownerEmail, groups: ['staff'] });
      const pending = await startSignIn(nyx, teamName);
      const callback = await new TestBrowser().signIn(pending.authorizationUrl, { login: 'owner', stopAt: callbackUrlOf(nyx) });
      const tokensBefore = await sql(`select id from api_tokens where tenant_id = ?`, [team.tenantId]);
      const eventsBefore = (await securityEventsOf(nyx, 'sso_state_invalid')).reduce((sum, event) => sum + event.count, 0);

      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state-value-from-another-browser');
      const refused = await api(nyx.url, 'GET', `${forged.pathname}${forged.search}`);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.field, 'state');

      // The real state still works once, and only once.
      const browser = new TestBrowser();
      const first = await browser.get(callback.href);
      assert.equal(first.status, 302);
      assert.ok(first.headers.get('location')?.startsWith(EDITOR_REDIRECT));
      const replay = await api(nyx.url, 'GET', `${callback.pathname}${callback.search}`);
      assert.equal(replay.status, 400);
      assert.match(replay.body.detail, /already used/);

      const eventsAfter = (await securityEventsOf(nyx, 'sso_state_invalid')).reduce((sum, event) => sum + event.count, 0);
      assert.equal(eventsAfter - eventsBefore, 2);
      const tokensAfter = await sql(`select id from api_tokens where tenant_id = ?`, [team.tenantId]);
      assert.equal(tokensAfter.length, tokensBefore.length, 'a refused callback issues no token (the code is not exchanged yet either)');
    });

    it('refuses an ID token whose nonce is not the one this sign-in sent (400, security event)', async () => {
      const pending = await startSignIn(nyx, teamName);
      const tampered = new URL(pending.authorizationUrl);
      tampered.searchParams.set('nonce', 'a-nonce-the-attacker-chose');
      const eventsBefore = (await securityEventsOf(nyx, 'sso_nonce_mismatch')).length;
      const callback = await new TestBrowser().signIn(tampered.href, { login: 'owner', stopAt: callbackUrlOf(nyx) });
      const refused = await api(nyx.url, 'GET', `${callback.pathname}${callback.search}`);
      assert.equal(refused.status, 400);
      assert.equal(refused.body.field, 'nonce');
      const events = await securityEventsOf(nyx, 'sso_nonce_mismatch');
      assert.equal(events.length, eventsBefore + 1);
      assert.equal(events.at(-1)!.tenant_id, team.tenantId);
    });

    it('refuses the one-time code with a wrong verifier, and a second use of it', async () => {
      const pending = await startSignIn(nyx, teamName);
      const redirect = await new TestBrowser().signIn(pending.authorizationUrl, { login: 'owner', stopAt: EDITOR_REDIRECT });
      const code = redirect.searchParams.get('code')!;
      const wrong = await api(nyx.url, 'POST', '/api/v1/sso/token', { body: { code, codeVerifier: 'x'.repeat(43) } });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.field, 'codeVerifier');
      // The code was spent by the wrong attempt: the right verifier no longer helps an attacker who raced.
      const again = await api(nyx.url, 'POST', '/api/v1/sso/token', { body: { code, codeVerifier: pending.verifier } });
      assert.equal(again.status, 400);
      assert.equal(again.body.field, 'code');
      assert.ok((await securityEventsOf(nyx, 'sso_handoff_invalid')).length >= 1);
    });

    it('only sends the browser back to loopback, editor schemes or origins the team allowed', async () => {
      const refused = await api(nyx.url, 'POST', '/api/v1/sso/start', {
        body: { team: teamName, redirectUri: 'https://attacker.example/collect', clientState: 'abcdefgh', codeChallenge: 'a'.repeat(43) },
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.field, 'redirectUri');
      const editor = await api(nyx.url, 'POST', '/api/v1/sso/start', {
        body: { team: teamName, redirectUri: 'vscode://nyx-dev.nyx/sso', clientState: 'abcdefgh', codeChallenge: 'a'.repeat(43) },
      });
      assert.equal(editor.status, 201);
      const unknownTeam = await api(nyx.url, 'POST', '/api/v1/sso/start', {
        body: { team: 'no-such-team-anywhere', redirectUri: EDITOR_REDIRECT, clientState: 'abcdefgh', codeChallenge: 'a'.repeat(43) },
      });
      assert.equal(unknownTeam.status, 404);
    });
  });

  describe('sessions', () => {
    it('refreshes: a new token, the old one and the old refresh token refused, the groups re-read from the IdP', async () => {
      idp.accounts.set('ada', { email: 'ada@sso.test', groups: ['nyx-admins'] });
      await sql(`insert into users (id, tenant_id, email, role, created_at) values (gen_random_uuid(), ?, 'ada@sso.test', 'member', now())`, [team.tenantId]);
      const { session } = await signInThroughIdp(nyx, teamName, 'ada');
      assert.equal(session.user.role, 'admin');

      idp.accounts.set('ada', { email: 'ada@sso.test', groups: [] });
      const refreshed = await api(nyx.url, 'POST', '/api/v1/sso/refresh', { body: { refreshToken: session.refreshToken } });
      assert.equal(refreshed.status, 201, JSON.stringify(refreshed.body));
      assert.notEqual(refreshed.body.token, session.token);
      assert.notEqual(refreshed.body.refreshToken, session.refreshToken);
      assert.equal(refreshed.body.user.role, 'member', 'no mapped group left: the default role');

      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: session.token })).status, 401);
      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: refreshed.body.token })).status, 200);
      // The old refresh token again: a copy may be in someone else's hands, so the whole session ends.
      const reused = await api(nyx.url, 'POST', '/api/v1/sso/refresh', { body: { refreshToken: session.refreshToken } });
      assert.equal(reused.status, 401);
      assert.match(reused.body.detail, /already used/);
      assert.ok((await securityEventsOf(nyx, 'sso_refresh_invalid')).some((event) => event.tenant_id === team.tenantId));
      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: refreshed.body.token })).status, 401);
      assert.equal((await api(nyx.url, 'POST', '/api/v1/sso/refresh', { body: { refreshToken: refreshed.body.refreshToken } })).status, 401);
    });

    it('signs out: the token and its refresh token stop working (a personal token is left alone: 409)', async () => {
      const personal = await api(nyx.url, 'POST', '/api/v1/sso/sign-out', { token: team.token });
      assert.equal(personal.status, 409);
      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: team.token })).status, 200);
      const { session } = await signInThroughIdp(nyx, teamName, 'owner');
      const out = await api(nyx.url, 'POST', '/api/v1/sso/sign-out', { token: session.token });
      assert.equal(out.status, 204);
      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: session.token })).status, 401);
      assert.equal((await api(nyx.url, 'POST', '/api/v1/sso/refresh', { body: { refreshToken: session.refreshToken } })).status, 401);
    });

    it('refuses a session token once it expired', async () => {
      const { session } = await signInThroughIdp(nyx, teamName, 'owner');
      await sql(`update api_tokens set expires_at = now() - interval '1 second' where id = ?`, [session.tokenId]);
      // The authenticator may trust a token it verified for NYX_AUTH_CACHE_MS; this one was never used.
      assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: session.token })).status, 401);
    });
  });
});
