import assert from 'node:assert/strict';
import type { EntityManager } from '@mikro-orm/postgresql';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

async function securityEvents(nyx: TestNyx, kind: string, since: Date): Promise<{ tenant_id: string | null; target: string | null; count: number }[]> {
  const em = nyx.database.orm.em.fork() as EntityManager;
  return em.execute(`select tenant_id, target, count from security_events where kind = ? and coalesce(last_seen_at, created_at) >= ? order by created_at`, [kind, since]);
}

describe('authentication and tenant isolation over HTTP', () => {
  let nyx: TestNyx;
  let alpha: TestTenant;
  let beta: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    alpha = await createTestTenant(nyx, 'alpha');
    beta = await createTestTenant(nyx, 'beta');
  });

  it('leaves health open to everyone', async () => {
    const res = await api(nyx.url, 'GET', '/api/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('rejects a missing token with 401, a clear message and a security event', async () => {
    const since = new Date(Date.now() - 1000);
    const res = await api(nyx.url, 'GET', '/api/v1/projects');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.match(res.body.detail, /Missing Authorization header/);
    assert.ok((await securityEvents(nyx, 'auth_missing', since)).length >= 1);
  });

  it('rejects a malformed header', async () => {
    const res = await api(nyx.url, 'GET', '/api/v1/projects', { headers: { authorization: 'Token abc' } });
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /Malformed Authorization header/);
  });

  it('rejects a well-formed but unknown token and records its prefix only', async () => {
    const since = new Date(Date.now() - 1000);
    const fake = `nyx_${'A'.repeat(40)}`;
    const res = await api(nyx.url, 'GET', '/api/v1/projects', { token: fake });
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /Invalid token/);
    const events = await securityEvents(nyx, 'auth_invalid', since);
    assert.ok(events.some((e) => e.target === fake.slice(0, 12)));
    assert.ok(events.every((e) => e.target !== fake), 'the whole token must never be stored');
  });

  it('stops accepting a token as soon as it is revoked', async () => {
    const member = await createTestTenant(nyx, 'revoker');
    const me = await api(nyx.url, 'GET', '/api/v1/tokens', { token: member.token });
    assert.equal(me.status, 200);
    const tokenId = me.body.items[0].id;
    const revoked = await api(nyx.url, 'POST', `/api/v1/tokens/${tokenId}/revoke`, { token: member.token });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    const after = await api(nyx.url, 'GET', '/api/v1/projects', { token: member.token });
    assert.equal(after.status, 401);
    assert.match(after.body.detail, /revoked/);
  });

  it('answers 404 for another tenant\'s project, exactly like a missing one, and logs the attempt', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/projects', { token: beta.token, body: { name: 'beta secret' } });
    assert.equal(created.status, 201);
    const since = new Date(Date.now() - 1000);
    const foreign = await api(nyx.url, 'GET', `/api/v1/projects/${created.body.id}`, { token: alpha.token });
    const missing = await api(nyx.url, 'GET', `/api/v1/projects/00000000-0000-4000-8000-000000000000`, { token: alpha.token });
    assert.equal(foreign.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(foreign.body.detail.replace(created.body.id, 'ID'), missing.body.detail.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    for (const method of ['PATCH', 'DELETE'] as const) {
      const res = await api(nyx.url, method, `/api/v1/projects/${created.body.id}`, { token: alpha.token, body: method === 'PATCH' ? { name: 'hijacked' } : undefined });
      assert.equal(res.status, 404, `${method} on a foreign project`);
    }
    const events = await securityEvents(nyx, 'cross_tenant_access', since);
    // Aggregated per source, kind, target and minute (docs/security.md): one row counting the three attempts.
    const attempts = events.filter((e) => e.target === `project:${created.body.id}` && e.tenant_id === alpha.tenantId);
    assert.equal(attempts.reduce((sum, e) => sum + e.count, 0), 3);
    const still = await api(nyx.url, 'GET', `/api/v1/projects/${created.body.id}`, { token: beta.token });
    assert.equal(still.body.name, 'beta secret', 'the foreign PATCH must not have changed anything');
  });

  it('never lists another tenant\'s projects', async () => {
    await api(nyx.url, 'POST', '/api/v1/projects', { token: alpha.token, body: { name: 'alpha only' } });
    const list = await api(nyx.url, 'GET', '/api/v1/projects', { token: beta.token });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length > 0);
    assert.ok(list.body.items.every((p: { name: string }) => p.name !== 'alpha only'));
  });
});
