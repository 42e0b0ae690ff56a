import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ROLES, roleAtLeast, type Role } from '#protocol/roles.ts';
import type { RouteContract } from '#protocol/routes.ts';
import { contractsOf } from '#server/feature.ts';
import { features } from '#server/features.ts';
import { requiredRole } from '#server/modules/tenancy/roles.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { callTool, connectMcp } from '../mcp/helpers.ts';
import { memberWithRole, tenantTablesFingerprint } from './helpers.ts';

/** A value for each kind of path parameter; the role is checked before any of them is read. */
function pathOf(contract: RouteContract): string {
  return contract.path.replace(/[:*](\w+)/g, (_, name: string) => {
    if (name === 'provider') return 'openai';
    if (name === 'sha256') return 'a'.repeat(64);
    if (name === 'version') return '1';
    if (name === 'ruleId') return 'js/eval';
    return randomUUID();
  });
}

const guarded = contractsOf(features).filter((contract) => contract.auth);

describe(`team-admin: every route against every role (${TEST_DB})`, () => {
  let nyx: TestNyx;
  let owner: TestTenant;
  const tokens = {} as Record<Role, string>;

  before(async function () {
    this.timeout(240_000);
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'roles');
    tokens.owner = owner.token;
    for (const role of ['admin', 'member', 'viewer'] as const) tokens[role] = (await memberWithRole(nyx, owner.tenantId, role)).token;
    // Each token's first use writes last_used_at: do that now, so the checksums below see only what the requests did.
    for (const token of Object.values(tokens)) assert.equal((await api(nyx.url, 'GET', '/api/v1/me', { token })).status, 200);
    const em = nyx.database.orm.em.fork();
    for (let i = 0; i < 50; i++) {
      const [row] = await em.execute<{ n: string }[]>(`select count(*)::text as n from api_tokens where tenant_id = ? and last_used_at is null`, [owner.tenantId]);
      if (row.n === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('declares a known role for every authenticated route, and the admin work says admin or owner', () => {
    assert.ok(guarded.length > 80, `only ${guarded.length} authenticated routes found`);
    const byPath = new Map(guarded.map((contract) => [`${contract.method.toUpperCase()} ${contract.path}`, requiredRole(contract)]));
    for (const role of byPath.values()) assert.ok(ROLES.includes(role));
    for (const route of [
      'PUT /api/v1/providers/:provider',
      'DELETE /api/v1/providers/:provider',
      'POST /api/v1/models',
      'PUT /api/v1/ai/budget',
      'POST /api/v1/personas',
      'PATCH /api/v1/personas/:id',
      'DELETE /api/v1/personas/:id',
      'POST /api/v1/workflows',
      'PUT /api/v1/workflows/:id',
      'DELETE /api/v1/workflows/:id',
      'PATCH /api/v1/members/:id',
      'DELETE /api/v1/members/:id',
      'POST /api/v1/invitations',
      'GET /api/v1/audit',
      'GET /api/v1/audit/security',
    ]) {
      assert.equal(byPath.get(route), 'admin', route);
    }
    assert.equal(byPath.get('DELETE /api/v1/team'), 'owner');
    assert.equal(byPath.get('POST /api/v1/notes/:id/enrich'), 'member');
    assert.equal(byPath.get('GET /api/v1/projects'), 'viewer');
  });

  it('shows the role of every operation in the API document', async () => {
    const document = (await api(nyx.url, 'GET', '/api/v1/openapi.json')).body;
    let checked = 0;
    for (const contract of guarded) {
      const operation = document.paths[contract.path.replace(/[:*](\w+)/g, '{$1}')][contract.method];
      const role = requiredRole(contract);
      assert.equal(operation['x-nyx-role'], role, `${contract.method} ${contract.path}`);
      assert.match(operation.description, new RegExp(`Needs role \\*\\*${role}\\*\\*`));
      assert.equal('403' in operation.responses, role !== 'viewer' || (contract.errors ?? []).includes(403), `${contract.method} ${contract.path} lists 403`);
      checked++;
    }
    assert.equal(checked, guarded.length);
  });

  it('answers 403 naming the missing role for every role below the one a route needs, and writes nothing', async function () {
    this.timeout(300_000);
    const before = await tenantTablesFingerprint(nyx);
    let refused = 0;
    for (const contract of guarded) {
      const needed = requiredRole(contract);
      for (const role of ROLES.filter((held) => !roleAtLeast(held, needed))) {
        const body = contract.body ? {} : undefined;
        const response = await api(nyx.url, contract.method.toUpperCase(), pathOf(contract), { token: tokens[role], body });
        const where = `${contract.method.toUpperCase()} ${contract.path} as ${role}`;
        assert.equal(response.status, 403, `${where}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.code, 'forbidden', where);
        assert.equal(response.body.detail, `needs role ${needed}; you are ${role}`, where);
        refused++;
      }
    }
    assert.ok(refused > 60, `only ${refused} refusals were tried`);
    assert.deepEqual(await tenantTablesFingerprint(nyx), before, 'a refused request changed a tenant table');
  });

  it('lets the role a route needs through (never a 403 from the role check)', async function () {
    this.timeout(300_000);
    for (const contract of guarded) {
      if (contract.produces?.includes('text/event-stream')) continue; // a stream that is allowed stays open
      const needed = requiredRole(contract);
      const response = await fetch(new URL(pathOf(contract), nyx.url), {
        method: contract.method.toUpperCase(),
        headers: { authorization: `Bearer ${tokens[needed]}`, ...(contract.body ? { 'content-type': 'application/json' } : {}) },
        body: contract.body ? '{}' : undefined,
      });
      const text = await response.text();
      assert.notEqual(response.status, 403, `${contract.method.toUpperCase()} ${contract.path} as ${needed}: ${text}`);
      assert.ok(response.status < 500, `${contract.method.toUpperCase()} ${contract.path} as ${needed}: ${response.status} ${text}`);
    }
  });

  it('caps a token by its scope: read acts as viewer, write as member, whatever the user\'s role', async () => {
    const reader = await memberWithRole(nyx, owner.tenantId, 'owner', 'read');
    const writer = await memberWithRole(nyx, owner.tenantId, 'admin', 'write');
    const refusedRead = await api(nyx.url, 'POST', '/api/v1/projects', { token: reader.token, body: { name: 'nope' } });
    assert.equal(refusedRead.status, 403);
    assert.equal(refusedRead.body.detail, 'needs role member; this token acts as viewer (scope read; your role is owner)');
    const refusedWrite = await api(nyx.url, 'PUT', '/api/v1/ai/budget', { token: writer.token, body: {} });
    assert.equal(refusedWrite.status, 403);
    assert.equal(refusedWrite.body.detail, 'needs role admin; this token acts as member (scope write; your role is admin)');
    const me = await api(nyx.url, 'GET', '/api/v1/me', { token: writer.token });
    assert.deepEqual([me.body.user.role, me.body.token.scope, me.body.token.role], ['admin', 'write', 'member']);
    const created = await api(nyx.url, 'POST', '/api/v1/projects', { token: writer.token, body: { name: 'by a write token' } });
    assert.equal(created.status, 201);
  });

  it('checks the caller\'s role in MCP tools too: viewers read, members write', async () => {
    const viewer = await connectMcp(nyx, tokens.viewer);
    try {
      const listed = await callTool(viewer, 'list_projects', {});
      assert.notEqual(listed.result.isError, true, listed.text);
      const projectId = (await api(nyx.url, 'POST', '/api/v1/projects', { token: tokens.member, body: { name: 'mcp roles' } })).body.id;
      const before = await tenantTablesFingerprint(nyx);
      const refused = await callTool(viewer, 'add_note', { projectId, title: 'no', body: 'viewers cannot write' });
      assert.equal(refused.result.isError, true);
      assert.match(refused.text, /forbidden: needs role member; you are viewer/);
      assert.deepEqual(await tenantTablesFingerprint(nyx), before);
    } finally {
      await viewer.close();
    }
  });
});
