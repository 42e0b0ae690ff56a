import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { memberWithRole, tenantTablesFingerprint } from './helpers.ts';

describe(`team-admin: members and roles (${TEST_DB})`, () => {
  let nyx: TestNyx;
  let owner: TestTenant;

  before(async function () {
    this.timeout(240_000);
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'members');
  });

  it('makes the first user of a team its owner and lists members with their roles', async () => {
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    const list = await api(nyx.url, 'GET', '/api/v1/members', { token: mate.token });
    assert.equal(list.status, 200);
    const roles = new Map(list.body.items.map((m: { id: string; role: string }) => [m.id, m.role]));
    assert.equal(roles.get(owner.userId), 'owner');
    assert.equal(roles.get(mate.userId), 'member');
    const self = list.body.items.find((m: { id: string }) => m.id === owner.userId);
    assert.ok(self.lastActiveAt === null || !Number.isNaN(Date.parse(self.lastActiveAt)));
    const team = await api(nyx.url, 'GET', '/api/v1/team', { token: mate.token });
    assert.equal(team.body.members, 2);
  });

  it('changes a role, and the member\'s next request acts with it at once', async () => {
    const admin = await memberWithRole(nyx, owner.tenantId, 'admin');
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    // Cached as a member first.
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: mate.token })).body.token.role, 'member');
    const demoted = await api(nyx.url, 'PATCH', `/api/v1/members/${mate.userId}`, { token: admin.token, body: { role: 'viewer' } });
    assert.equal(demoted.status, 200, JSON.stringify(demoted.body));
    assert.equal(demoted.body.role, 'viewer');
    const refused = await api(nyx.url, 'POST', '/api/v1/projects', { token: mate.token, body: { name: 'after demotion' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.detail, 'needs role member; you are viewer');
    const audit = await api(nyx.url, 'GET', `/api/v1/audit?action=member.role`, { token: admin.token });
    const entry = audit.body.items.find((item: { entityId: string }) => item.entityId === mate.userId);
    assert.deepEqual(entry.data, { email: mate.email, from: 'member', to: 'viewer' });
    assert.equal(entry.actor.id, admin.userId);
    assert.match(entry.remoteAddress, /127\.0\.0\.1|::1/);
  });

  it('leaves admins and owners to owners: an admin may not promote to admin or touch an admin (403, nothing changes)', async () => {
    const admin = await memberWithRole(nyx, owner.tenantId, 'admin');
    const otherAdmin = await memberWithRole(nyx, owner.tenantId, 'admin');
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    const before = await tenantTablesFingerprint(nyx);
    for (const [id, role] of [[mate.userId, 'admin'], [mate.userId, 'owner'], [otherAdmin.userId, 'member']] as const) {
      const refused = await api(nyx.url, 'PATCH', `/api/v1/members/${id}`, { token: admin.token, body: { role } });
      assert.equal(refused.status, 403);
      assert.match(refused.body.detail, /^needs role owner; you are admin/);
    }
    const removal = await api(nyx.url, 'DELETE', `/api/v1/members/${otherAdmin.userId}`, { token: admin.token });
    assert.equal(removal.status, 403);
    assert.deepEqual(await tenantTablesFingerprint(nyx), before);
    const promoted = await api(nyx.url, 'PATCH', `/api/v1/members/${mate.userId}`, { token: owner.token, body: { role: 'admin' } });
    assert.equal(promoted.body.role, 'admin');
  });

  it('refuses an unknown role with a 400 naming the field', async () => {
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    const before = await tenantTablesFingerprint(nyx);
    const response = await api(nyx.url, 'PATCH', `/api/v1/members/${mate.userId}`, { token: owner.token, body: { role: 'superuser' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.field, 'role');
    assert.deepEqual(await tenantTablesFingerprint(nyx), before);
  });

  it('never demotes or removes the last owner (409, nothing changes); with a second owner it may', async () => {
    const team = await createTestTenant(nyx, 'last-owner');
    const before = await tenantTablesFingerprint(nyx);
    const demote = await api(nyx.url, 'PATCH', `/api/v1/members/${team.userId}`, { token: team.token, body: { role: 'admin' } });
    assert.equal(demote.status, 409);
    assert.equal(demote.body.field, 'role');
    assert.match(demote.body.detail, /last owner/);
    const remove = await api(nyx.url, 'DELETE', `/api/v1/members/${team.userId}`, { token: team.token });
    assert.equal(remove.status, 409);
    assert.deepEqual(await tenantTablesFingerprint(nyx), before);

    const second = await memberWithRole(nyx, team.tenantId, 'owner');
    // Both at once: exactly one may step down, the team keeps an owner.
    const [a, b] = await Promise.all([
      api(nyx.url, 'PATCH', `/api/v1/members/${team.userId}`, { token: second.token, body: { role: 'member' } }),
      api(nyx.url, 'PATCH', `/api/v1/members/${second.userId}`, { token: team.token, body: { role: 'member' } }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const owners = (await api(nyx.url, 'GET', '/api/v1/members', { token: second.token })).body.items.filter((m: { role: string }) => m.role === 'owner');
    assert.equal(owners.length, 1);
  });

  it('removes a member: their tokens stop working at once, the audit log still names them', async () => {
    const admin = await memberWithRole(nyx, owner.tenantId, 'admin');
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: mate.token })).status, 200); // cached now
    const removed = await api(nyx.url, 'DELETE', `/api/v1/members/${mate.userId}`, { token: admin.token });
    assert.equal(removed.status, 204);
    const after = await api(nyx.url, 'GET', '/api/v1/me', { token: mate.token });
    assert.equal(after.status, 401);
    const list = await api(nyx.url, 'GET', '/api/v1/members', { token: admin.token });
    assert.ok(!list.body.items.some((m: { id: string }) => m.id === mate.userId));
    const tokens = await api(nyx.url, 'GET', '/api/v1/tokens', { token: admin.token });
    assert.ok(tokens.body.items.filter((t: { userId: string }) => t.userId === mate.userId).every((t: { revokedAt: string | null }) => t.revokedAt));
    const audit = await api(nyx.url, 'GET', `/api/v1/audit?action=member.remove`, { token: admin.token });
    const entry = audit.body.items.find((item: { entityId: string }) => item.entityId === mate.userId);
    assert.equal(entry.data.email, mate.email);
    assert.equal(entry.data.tokensRevoked, 1);
    assert.equal((await api(nyx.url, 'DELETE', `/api/v1/members/${mate.userId}`, { token: admin.token })).status, 404);
  });

  it('answers another team\'s member id like a missing one', async () => {
    const other = await createTestTenant(nyx, 'members-other');
    const foreign = await api(nyx.url, 'PATCH', `/api/v1/members/${other.userId}`, { token: owner.token, body: { role: 'viewer' } });
    const missing = await api(nyx.url, 'PATCH', `/api/v1/members/${randomUUID()}`, { token: owner.token, body: { role: 'viewer' } });
    assert.equal(foreign.status, 404);
    assert.equal(missing.status, 404);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: other.token })).body.user.role, 'owner');
  });

  it('deletes the team only for an owner who types its name', async () => {
    const team = await createTestTenant(nyx, 'doomed');
    const admin = await memberWithRole(nyx, team.tenantId, 'admin');
    const name = (await api(nyx.url, 'GET', '/api/v1/team', { token: team.token })).body.name;
    await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'doomed project' } });
    const confirm = (value: string) => `/api/v1/team?confirm=${encodeURIComponent(value)}`;
    assert.equal((await api(nyx.url, 'DELETE', confirm(name), { token: admin.token })).status, 403);
    assert.equal((await api(nyx.url, 'DELETE', '/api/v1/team', { token: team.token })).body.field, 'confirm');
    const wrong = await api(nyx.url, 'DELETE', confirm('not the name'), { token: team.token });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.field, 'confirm');
    assert.equal((await api(nyx.url, 'DELETE', confirm(name), { token: team.token })).status, 204);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: team.token })).status, 401);
    const em = nyx.database.orm.em.fork();
    const [left] = await em.execute<{ n: string }[]>(
      `select ((select count(*) from projects where tenant_id = ?) + (select count(*) from users where tenant_id = ?) + (select count(*) from tenants where id = ?))::text as n`,
      [team.tenantId, team.tenantId, team.tenantId],
    );
    assert.equal(left.n, '0');
    // Other teams are untouched.
    assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token: owner.token })).status, 200);
  });
});
