import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { memberWithRole, tenantTablesFingerprint } from './helpers.ts';

describe(`team-admin: personal tokens and the audit log (${TEST_DB})`, () => {
  let nyx: TestNyx;
  let owner: TestTenant;
  let member: TestTenant;

  before(async function () {
    this.timeout(240_000);
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'tokens');
    member = await memberWithRole(nyx, owner.tenantId, 'member');
  });

  it('creates a named token with a scope and an expiry, shown once, and lists it with last use', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/tokens', { token: member.token, body: { name: 'second laptop', scope: 'read', expiresInDays: 7 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { token, secret } = created.body;
    assert.match(secret, /^nyx_[A-Za-z0-9_-]{40}$/);
    assert.equal(token.scope, 'read');
    const days = (Date.parse(token.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, String(days));
    const me = await api(nyx.url, 'GET', '/api/v1/me', { token: secret });
    assert.deepEqual([me.body.token.id, me.body.token.role], [token.id, 'viewer']);
    // last_used_at is written after the answer, without waiting: give it a moment on a pooled database.
    let listed = await api(nyx.url, 'GET', '/api/v1/tokens', { token: member.token });
    for (let i = 0; i < 20 && !listed.body.items.find((t: { id: string }) => t.id === token.id).lastUsedAt; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      listed = await api(nyx.url, 'GET', '/api/v1/tokens', { token: member.token });
    }
    const row = listed.body.items.find((t: { id: string }) => t.id === token.id);
    assert.ok(row.lastUsedAt, 'last use is shown');
    assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(secret));
    const never = await api(nyx.url, 'POST', '/api/v1/tokens', { token: member.token, body: { name: 'ci', expiresInDays: null } });
    assert.deepEqual([never.body.token.scope, never.body.token.expiresAt], ['write', null]);
  });

  it('shows members their own tokens and admins every token', async () => {
    const mine = (await api(nyx.url, 'GET', '/api/v1/tokens', { token: member.token })).body.items;
    assert.ok(mine.length > 0 && mine.every((t: { userId: string }) => t.userId === member.userId));
    const all = (await api(nyx.url, 'GET', '/api/v1/tokens', { token: owner.token })).body.items;
    assert.ok(all.some((t: { userId: string }) => t.userId === owner.userId) && all.some((t: { userId: string }) => t.userId === member.userId));
  });

  it('never lets a token create one with more scope than itself', async () => {
    const write = (await api(nyx.url, 'POST', '/api/v1/tokens', { token: owner.token, body: { name: 'write', scope: 'write' } })).body.secret;
    const before = await tenantTablesFingerprint(nyx);
    const refused = await api(nyx.url, 'POST', '/api/v1/tokens', { token: write, body: { name: 'climb', scope: 'admin' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.field, 'scope');
    assert.deepEqual(await tenantTablesFingerprint(nyx), before);
    const badScope = await api(nyx.url, 'POST', '/api/v1/tokens', { token: owner.token, body: { name: 'x', scope: 'root' } });
    assert.equal(badScope.status, 400);
    assert.equal(badScope.body.field, 'scope');
  });

  it('refuses an expired token with a 401 that says so, and records it', async () => {
    const { token, secret } = (await api(nyx.url, 'POST', '/api/v1/tokens', { token: member.token, body: { name: 'short', expiresInDays: 1 } })).body;
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: secret })).status, 200);
    await nyx.database.orm.em.fork().execute(`update api_tokens set expires_at = now() - interval '1 second' where id = ?`, [token.id]);
    await new Promise((resolve) => setTimeout(resolve, nyx.config.authCacheMs + 50)); // the 5 s cache, or what the test set
    const refused = await api(nyx.url, 'GET', '/api/v1/me', { token: secret });
    assert.equal(refused.status, 401);
    assert.match(refused.body.detail, /expired at/);
    const events = await api(nyx.url, 'GET', '/api/v1/audit/security?kind=auth_expired', { token: owner.token });
    assert.ok(events.body.items.some((e: { target: string }) => e.target === token.prefix), JSON.stringify(events.body));
  });

  it('revokes own tokens at any role; another member\'s only as an admin', async () => {
    const viewer = await memberWithRole(nyx, owner.tenantId, 'viewer');
    const own = (await api(nyx.url, 'POST', '/api/v1/tokens', { token: viewer.token, body: { name: 'mine', scope: 'read' } })).body;
    const theirs = (await api(nyx.url, 'POST', '/api/v1/tokens', { token: member.token, body: { name: 'theirs' } })).body;
    const refused = await api(nyx.url, 'POST', `/api/v1/tokens/${theirs.token.id}/revoke`, { token: viewer.token });
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /^needs role admin; you are viewer/);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: theirs.secret })).status, 200);
    assert.ok((await api(nyx.url, 'POST', `/api/v1/tokens/${own.token.id}/revoke`, { token: viewer.token })).body.revokedAt);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: own.secret })).status, 401);
    assert.ok((await api(nyx.url, 'POST', `/api/v1/tokens/${theirs.token.id}/revoke`, { token: owner.token })).body.revokedAt);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: theirs.secret })).status, 401);
  });

  it('reads the audit log filtered by actor, action and time, page by page with a cursor', async () => {
    const team = await createTestTenant(nyx, 'audit');
    const mate = await memberWithRole(nyx, team.tenantId, 'member');
    const start = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 5; i++) await api(nyx.url, 'POST', '/api/v1/tokens', { token: mate.token, body: { name: `t${i}` } });
    await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'audited' } });

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/v1/audit?actor=${mate.userId}&action=token.create&since=${encodeURIComponent(start)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api(nyx.url, 'GET', query, { token: team.token });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      for (const item of page.body.items) {
        assert.equal(item.actor.id, mate.userId);
        assert.equal(item.actor.email, mate.email);
        assert.equal(item.action, 'token.create');
        seen.push(item.id);
      }
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.equal(pages, 3);
    const times = (await api(nyx.url, 'GET', `/api/v1/audit?until=${encodeURIComponent(start)}`, { token: team.token })).body.items;
    assert.ok(times.every((item: { at: string }) => item.at < start));
    const prefix = (await api(nyx.url, 'GET', '/api/v1/audit?action=project.', { token: team.token })).body.items;
    assert.ok(prefix.length >= 1 && prefix.every((item: { action: string }) => item.action.startsWith('project.')), JSON.stringify(prefix));
    const bad = await api(nyx.url, 'GET', '/api/v1/audit?cursor=nonsense', { token: team.token });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'cursor');
    // Another team's log is not this team's.
    const foreign = (await api(nyx.url, 'GET', `/api/v1/audit?actor=${mate.userId}`, { token: owner.token })).body.items;
    assert.equal(foreign.length, 0);
  });

  it('shows admins the team\'s security events: revoked tokens and cross-tenant probes', async () => {
    const team = await createTestTenant(nyx, 'security');
    const other = await createTestTenant(nyx, 'security-other');
    const probe = await api(nyx.url, 'PATCH', `/api/v1/members/${other.userId}`, { token: team.token, body: { role: 'viewer' } });
    assert.equal(probe.status, 404);
    const events = await api(nyx.url, 'GET', '/api/v1/audit/security?kind=cross_tenant_access', { token: team.token });
    assert.ok(events.body.items.some((e: { target: string }) => e.target === `member:${other.userId}`), JSON.stringify(events.body));
    const otherEvents = await api(nyx.url, 'GET', '/api/v1/audit/security', { token: other.token });
    assert.ok(!otherEvents.body.items.some((e: { target: string }) => e.target === `member:${other.userId}`), 'the probed team does not see the prober\'s events');
    const viewer = await memberWithRole(nyx, team.tenantId, 'viewer');
    assert.equal((await api(nyx.url, 'GET', '/api/v1/audit/security', { token: viewer.token })).status, 403);
  });
});
