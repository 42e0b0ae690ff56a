import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, startTestNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { memberWithRole, tenantTablesFingerprint } from './helpers.ts';

async function invite(nyx: TestNyx, token: string, body: Record<string, unknown>) {
  const response = await api(nyx.url, 'POST', '/api/v1/invitations', { token, body });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as { invitation: { id: string; state: string; role: string; prefix: string }; code: string };
}

describe(`team-admin: invitations (${TEST_DB})`, () => {
  let nyx: TestNyx;
  let owner: TestTenant;
  let admin: TestTenant;

  before(async function () {
    this.timeout(240_000);
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'invites');
    admin = await memberWithRole(nyx, owner.tenantId, 'admin');
  });

  it('creates a one-time code (shown once, stored hashed) that makes a member with the role and a first token', async () => {
    const { invitation, code } = await invite(nyx, admin.token, { role: 'viewer', email: 'Newcomer@Example.test' });
    assert.match(code, /^nyxinv_[A-Za-z0-9_-]{40}$/);
    assert.equal(invitation.state, 'pending');
    assert.ok(code.startsWith(invitation.prefix));
    const [stored] = await nyx.database.orm.em.fork().execute<{ code_hash: string }[]>('select code_hash from invitations where id = ?', [invitation.id]);
    assert.notEqual(stored.code_hash, code);
    assert.doesNotMatch(JSON.stringify((await api(nyx.url, 'GET', '/api/v1/invitations', { token: admin.token })).body), new RegExp(code));

    const accepted = await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code, email: 'newcomer@example.test', displayName: 'New Comer' } });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.equal(accepted.body.tenant.id, owner.tenantId);
    assert.equal(accepted.body.member.role, 'viewer');
    assert.equal(accepted.body.member.displayName, 'New Comer');
    const token = accepted.body.token.secret;
    const me = await api(nyx.url, 'GET', '/api/v1/me', { token });
    assert.deepEqual([me.body.user.email, me.body.user.role, me.body.token.role], ['newcomer@example.test', 'viewer', 'viewer']);
    assert.equal((await api(nyx.url, 'POST', '/api/v1/projects', { token, body: { name: 'x' } })).status, 403);

    const listed = (await api(nyx.url, 'GET', '/api/v1/invitations', { token: admin.token })).body.items.find((i: { id: string }) => i.id === invitation.id);
    assert.equal(listed.state, 'accepted');
    assert.equal(listed.acceptedUserId, accepted.body.member.id);
    const audit = (await api(nyx.url, 'GET', '/api/v1/audit?action=invitation.', { token: admin.token })).body.items.map((i: { action: string }) => i.action);
    assert.ok(audit.includes('invitation.create') && audit.includes('invitation.accept'), audit.join());
  });

  it('refuses reused, revoked, expired, unknown and other-address codes with a clear 4xx, writing nothing', async () => {
    const used = await invite(nyx, admin.token, {});
    assert.equal((await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code: used.code, email: 'once@example.test' } })).status, 201);
    const revoked = await invite(nyx, admin.token, {});
    assert.equal((await api(nyx.url, 'POST', `/api/v1/invitations/${revoked.invitation.id}/revoke`, { token: admin.token })).body.state, 'revoked');
    const expired = await invite(nyx, admin.token, { expiresInHours: 1 });
    await nyx.database.orm.em.fork().execute(`update invitations set expires_at = now() - interval '1 minute' where id = ?`, [expired.invitation.id]);
    const addressed = await invite(nyx, admin.token, { email: 'someone@example.test' });
    const taken = await invite(nyx, admin.token, {});

    const before = await tenantTablesFingerprint(nyx);
    const cases: [string, string, number, string, RegExp][] = [
      ['reused', used.code, 410, 'code', /already used/],
      ['revoked', revoked.code, 410, 'code', /revoked/],
      ['expired', expired.code, 410, 'code', /valid until/],
      ['unknown', `nyxinv_${'x'.repeat(40)}`, 404, 'code', /not found/],
      ['other address', addressed.code, 403, 'email', /another email/],
      ['already a member', taken.code, 409, 'email', /already a member/],
    ];
    for (const [what, code, status, field, detail] of cases) {
      const email = what === 'already a member' ? 'once@example.test' : 'stranger@example.test';
      const response = await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code, email } });
      assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
      if (status !== 404) assert.equal(response.body.field, field, what);
      assert.match(response.body.detail, detail, what);
    }
    assert.deepEqual(await tenantTablesFingerprint(nyx), before);
    const bad = await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code: taken.code, email: 'not an email' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'email');
  });

  it('lets only owners invite admins and owners', async () => {
    const refused = await api(nyx.url, 'POST', '/api/v1/invitations', { token: admin.token, body: { role: 'admin' } });
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /^needs role owner; you are admin/);
    const { code } = await invite(nyx, owner.token, { role: 'admin' });
    const accepted = await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code, email: 'new-admin@example.test' } });
    assert.equal(accepted.body.member.role, 'admin');
    const unknownRole = await api(nyx.url, 'POST', '/api/v1/invitations', { token: owner.token, body: { role: 'root' } });
    assert.equal(unknownRole.status, 400);
    assert.equal(unknownRole.body.field, 'role');
  });

  it('brings a removed member back with the invited role', async () => {
    const mate = await memberWithRole(nyx, owner.tenantId, 'member');
    assert.equal((await api(nyx.url, 'DELETE', `/api/v1/members/${mate.userId}`, { token: admin.token })).status, 204);
    const { code } = await invite(nyx, admin.token, { role: 'viewer', email: mate.email });
    const accepted = await api(nyx.url, 'POST', '/api/v1/invitations/accept', { body: { code, email: mate.email } });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    assert.equal(accepted.body.member.id, mate.userId);
    assert.equal(accepted.body.member.role, 'viewer');
  });

  it('limits guessing codes per address like guessing tokens (429 with Retry-After)', async function () {
    this.timeout(240_000);
    const limited = await startTestNyx({ authFailureBurst: 3, authFailurePerMinute: 1 });
    try {
      const team = await createTestTenant(limited, 'guessing');
      const { code } = await invite(limited, team.token, {});
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push((await api(limited.url, 'POST', '/api/v1/invitations/accept', { body: { code: `nyxinv_${String(i).repeat(40)}`, email: 'g@example.test' } })).status);
      }
      assert.deepEqual(statuses, [404, 404, 404, 429, 429]);
      const blocked = await api(limited.url, 'POST', '/api/v1/invitations/accept', { body: { code, email: 'g@example.test' } });
      assert.equal(blocked.status, 429, 'even a good code waits');
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });
});
