import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { contractsOf } from '#server/feature.ts';
import { features } from '#server/features.ts';
import { api, type ApiResponse } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, startSelftest } from '../runs/helpers.ts';

/** Path parameters that are not row ids of a tenant table. */
const NOT_ROW_IDS = new Set(['provider', 'sha256', 'version']);

/** `/api/v1/models/:id` names a model in the tenant's catalog (e.g. "qwen2.5-coder:7b"), not a row: two tenants may both have it. */
const NOT_ROW_ID_ROUTES = new Set(['delete /api/v1/models/:id']);

/** Which table the id in a path belongs to, by the first segment after /api/v1. */
const TABLE_BY_SEGMENT: Record<string, string> = {
  projects: 'projects',
  runs: 'runs',
  reports: 'reports',
  notes: 'notes',
  memory: 'memory_entries',
  digests: 'digests',
  personas: 'personas',
  workflows: 'workflows',
  findings: 'findings',
  tokens: 'api_tokens',
  members: 'users',
  invitations: 'invitations',
  autofix: 'runs',
  discussions: 'runs',
  'workflow-runs': 'runs',
  policies: 'policy_documents',
  'policy-clauses': 'policy_clauses',
  'compliance-reviews': 'runs',
};

/** Valid bodies, so these routes get past validation and reach the lookup of the id. Others get {}. */
const BODIES: Record<string, (ids: { bobProject: string }) => unknown> = {
  'patch /api/v1/projects/:id': () => ({ description: 'probe' }),
  'patch /api/v1/members/:id': () => ({ role: 'viewer' }),
  'patch /api/v1/notes/:id': () => ({ title: 'probe' }),
  'patch /api/v1/personas/:id': () => ({ name: 'probe' }),
  'patch /api/v1/digests/:id': () => ({ status: 'published' }),
  'post /api/v1/findings/:id/dismiss': () => ({ reason: 'probe' }),
  'post /api/v1/discussions/:runId/implement': () => ({ target: 'workflow' }),
  'post /api/v1/projects/:id/memory': () => ({ kind: 'fact', text: 'probe' }),
  'post /api/v1/projects/:id/notes': () => ({ title: 'probe' }),
  'post /api/v1/projects/:id/analyses': () => ({ snapshotId: randomUUID() }),
  'post /api/v1/workflows/:id/runs': ({ bobProject }) => ({ projectId: bobProject }),
  'post /api/v1/projects/:id/snapshots': () => ({ files: [] }),
  'post /api/v1/projects/:id/snapshots/check': () => ({ files: [] }),
  'post /api/v1/projects/:id/autofixes': () => ({ findingIds: [randomUUID()], snapshotId: randomUUID() }),
};

/** Required query parameters, for the same reason. */
const QUERIES: Record<string, string> = {
  'get /api/v1/projects/:id/memory/search': '?q=probe',
  'get /api/v1/projects/:id/workflow-insights': '?q=probe',
};

/**
 * Everything a client can tell two answers apart by, except the request id and the date. The id
 * the request named is replaced by a placeholder: "report <id> not found" echoes what was sent.
 */
function observable(response: ApiResponse, id: string): { status: number; headers: [string, string][]; body: string } {
  const body = typeof response.body === 'object' && response.body !== null ? { ...response.body, requestId: undefined } : response.body;
  const headers = [...response.headers.entries()].filter(([name]) => name !== 'date' && name !== 'x-request-id').sort();
  return { status: response.status, headers, body: JSON.stringify(body ?? null).replaceAll(id, '<id>') };
}

describe('another tenant\'s id answers exactly like a missing one, on every route with an id', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let bob: TestTenant;
  let bobProject: string;
  const aliceIds = new Map<string, string>();

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'nf-a');
    bob = await createTestTenant(nyx, 'nf-b');
    bobProject = await createProject(nyx.url, bob, 'nf-b');
    const aliceProject = await createProject(nyx.url, alice, 'nf-a');
    const as = (method: string, path: string, body?: unknown) => api(nyx.url, method, path, { token: alice.token, body });
    const created = async (method: string, path: string, body: unknown) => {
      const response = await as(method, path, body);
      assert.equal(response.status, 201, `${method} ${path}: ${JSON.stringify(response.body)}`);
      return response.body.id as string;
    };
    const run = (await startSelftest(nyx.url, alice, aliceProject, { events: 1, seconds: 0 })).id;
    const report = await created('POST', '/api/v1/reports', { projectId: aliceProject, kind: 'analysis', markdown: '# probe', runId: run });
    aliceIds.set('projects', aliceProject);
    aliceIds.set('runs', run);
    aliceIds.set('reports', report);
    aliceIds.set('notes', await created('POST', `/api/v1/projects/${aliceProject}/notes`, { title: 'probe' }));
    aliceIds.set('memory_entries', await created('POST', `/api/v1/projects/${aliceProject}/memory`, { kind: 'fact', text: 'probe' }));
    aliceIds.set('personas', (await as('GET', '/api/v1/personas')).body.items[0].id);
    aliceIds.set('workflows', (await as('GET', '/api/v1/workflows')).body.items[0].id);
    // Rows that only runs make, written directly (the walk is about lookups, not about producing them).
    const em = nyx.database.orm.em.fork();
    const [token] = await em.execute<{ id: string }[]>(`select id from api_tokens where user_id = ?`, [alice.userId]);
    aliceIds.set('api_tokens', token.id);
    aliceIds.set('users', alice.userId);
    aliceIds.set('invitations', (await as('POST', '/api/v1/invitations', {})).body.invitation.id);
    const snapshot = randomUUID();
    await em.execute(`insert into snapshots (id, tenant_id, project_id, files, file_count, total_bytes, created_at) values (?, ?, ?, '[]', 0, 0, now())`, [
      snapshot,
      alice.tenantId,
      aliceProject,
    ]);
    const finding = randomUUID();
    await em.execute(
      `insert into findings (id, tenant_id, project_id, path, rule_id, message, start_line, start_column, end_line, end_column, fingerprint, first_seen_snapshot_id, last_seen_snapshot_id, created_at, updated_at)
       values (?, ?, ?, 'a.py', 'probe', 'probe', 1, 1, 1, 2, ?, ?, ?, now(), now())`,
      [finding, alice.tenantId, aliceProject, randomUUID().replaceAll('-', ''), snapshot, snapshot],
    );
    aliceIds.set('findings', finding);
    const digest = randomUUID();
    await em.execute(
      `insert into digests (id, tenant_id, project_id, run_id, report_id, period_start, period_end, title, markdown, summary, created_at, updated_at)
       values (?, ?, ?, ?, ?, now() - interval '1 day', now(), 'probe', 'probe', '{}', now(), now())`,
      [digest, alice.tenantId, aliceProject, run, report],
    );
    aliceIds.set('digests', digest);
    const policy = await as('POST', '/api/v1/policies', { format: 'markdown', content: '# Probe policy\n\n## 1. Probing\n\nEvery probe is logged.\n' });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    aliceIds.set('policy_documents', policy.body.document.id);
    const [clause] = await em.execute<{ id: string }[]>(`select id from policy_clauses where tenant_id = ?`, [alice.tenantId]);
    aliceIds.set('policy_clauses', clause!.id);
  });

  it('walks every contract in protocol/ with an id in its path and compares the two answers', async () => {
    const routes = contractsOf(features).filter((contract) => {
      const params = [...contract.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      return params.some((param) => !NOT_ROW_IDS.has(param)) && !NOT_ROW_ID_ROUTES.has(`${contract.method} ${contract.path}`);
    });
    assert.ok(routes.length >= 50, `found only ${routes.length} routes with an id`);
    const reached404: string[] = [];
    for (const contract of routes) {
      const key = `${contract.method} ${contract.path}`;
      const segment = contract.path.split('/')[3];
      const table = TABLE_BY_SEGMENT[segment];
      assert.ok(table, `${key}: which table does its id belong to? Add "${segment}" to TABLE_BY_SEGMENT`);
      const aliceId = aliceIds.get(table);
      assert.ok(aliceId, `${key}: no row of ${table} to probe with`);
      const missingId = randomUUID();
      const request = (id: string) => {
        const path = contract.path.replace(/:(\w+)/g, (_, param: string) => (param === 'version' ? '1' : id)) + (QUERIES[key] ?? '');
        const body = contract.body ? (BODIES[key]?.({ bobProject }) ?? {}) : undefined;
        return api(nyx.url, contract.method.toUpperCase(), path, { token: bob.token, body });
      };
      const foreign = await request(aliceId);
      const missing = await request(missingId);
      assert.notEqual(foreign.status, 200, `${key}: answered 200 with another tenant's id`);
      assert.ok(foreign.status < 500, `${key}: ${foreign.status} ${JSON.stringify(foreign.body)}`);
      assert.deepEqual(observable(foreign, aliceId), observable(missing, missingId), `${key}: another tenant's id is told apart from a missing one`);
      if (foreign.status === 404) reached404.push(key);
    }
    // Routes whose body could not be made valid stop at validation (400 for both, equal as well).
    // Every route with a valid body, and every route without one, must reach the lookup.
    const expected404 = routes.filter((contract) => !contract.body || BODIES[`${contract.method} ${contract.path}`]).map((contract) => `${contract.method} ${contract.path}`);
    assert.ok(expected404.length >= 45, `only ${expected404.length} routes reach their lookup`);
    assert.deepEqual(
      expected404.filter((key) => !reached404.includes(key)),
      [],
    );
  });
});
