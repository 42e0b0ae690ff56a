import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { constraintViolationToAppError } from '#server/db/constraint-errors.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { referenceConstraintName, TENANT_REFERENCES, UNREFERENCED_COLUMNS } from '#server/db/tenant-references.ts';
import { api, type ApiResponse } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, startSelftest } from '../runs/helpers.ts';

interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  target: string;
  target_columns: string[];
  on_delete: string;
  deferred: boolean;
}

/** Every foreign key in the public schema, with its columns in key order. */
async function foreignKeys(em: EntityManager): Promise<ForeignKey[]> {
  return em.execute<ForeignKey[]>(`
    select c.conname as name, c.conrelid::regclass::text as table, c.confrelid::regclass::text as target, c.confdeltype as on_delete, c.condeferred as deferred,
      (select array_agg(a.attname::text order by k.ord) from unnest(c.conkey) with ordinality k(num, ord)
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.num) as columns,
      (select array_agg(a.attname::text order by k.ord) from unnest(c.confkey) with ordinality k(num, ord)
         join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.num) as target_columns
    from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
}

async function tenantTables(em: EntityManager): Promise<Set<string>> {
  const rows = await em.execute<{ table_name: string }[]>(
    `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'`,
  );
  return new Set(rows.map((row) => row.table_name));
}

/** A problem document without its request id: what must not differ between two answers. */
function comparable(response: ApiResponse): { status: number; body: unknown; contentType: string | null } {
  const { requestId: _requestId, ...body } = response.body as Record<string, unknown>;
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

describe('tenant-checked references (decision 0011)', () => {
  let nyx: TestNyx;
  let em: EntityManager;
  let tables: Set<string>;
  let keys: ForeignKey[];
  let alice: TestTenant;
  let bob: TestTenant;
  let aliceProject: string;
  let aliceRun: string;
  let bobProject: string;

  before(async () => {
    nyx = await sharedNyx();
    em = systemEm(nyx.database.orm) as EntityManager;
    tables = await tenantTables(em);
    keys = await foreignKeys(em);
    alice = await createTestTenant(nyx, 'refs-a');
    bob = await createTestTenant(nyx, 'refs-b');
    aliceProject = await createProject(nyx.url, alice, 'refs-a');
    bobProject = await createProject(nyx.url, bob, 'refs-b');
    aliceRun = (await startSelftest(nyx.url, alice, aliceProject, { events: 1, seconds: 0 })).id;
  });

  it('has a composite (tenant_id, x) → (tenant_id, id) foreign key on every reference column between tenant tables', async () => {
    const columns = await em.execute<{ table_name: string; column_name: string }[]>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and udt_name = 'uuid' and column_name not in ('id', 'tenant_id')
          and (column_name like '%\\_id' or column_name like '%\\_by')`,
    );
    const references = columns.filter((column) => tables.has(column.table_name));
    assert.ok(references.length >= 50, `the catalog query found only ${references.length} reference columns`);
    const problems: string[] = [];
    for (const { table_name: table, column_name: column } of references) {
      if (UNREFERENCED_COLUMNS[`${table}.${column}`]) continue;
      const key = keys.find((fk) => fk.table === table && fk.columns.join() === `tenant_id,${column}`);
      if (!key) problems.push(`${table}.${column}: no foreign key on (tenant_id, ${column})`);
      else if (!tables.has(key.target) || key.target_columns.join() !== 'tenant_id,id') problems.push(`${table}.${column}: references ${key.target} (${key.target_columns})`);
    }
    assert.deepEqual(problems, []);
  });

  it('has no foreign key between tenant tables that leaves tenant_id out', () => {
    const loose = keys.filter((fk) => tables.has(fk.table) && tables.has(fk.target) && fk.columns[0] !== 'tenant_id');
    assert.deepEqual(loose.map((fk) => fk.name), []);
  });

  it('built exactly the declared keys, with their delete rules', () => {
    for (const reference of TENANT_REFERENCES) {
      const key = keys.find((fk) => fk.name === referenceConstraintName(reference));
      assert.ok(key, `${reference.table}.${reference.column}: missing`);
      assert.equal(key.target, reference.references);
      assert.equal(key.on_delete, reference.onDelete === 'cascade' ? 'c' : 'n', `${key.name} on delete`);
      assert.equal(key.deferred, true, `${key.name}: checked at commit, so one flush may insert a child first`);
    }
    // And the ORM knows them, so the drift test (schema.test.ts) compares them too.
    const target = nyx.database.orm.schema.getTargetSchema();
    assert.ok(target.getTable('reports')!.getForeignKeys()['reports_run_id_tenant_fk']);
  });

  it('has no unique key on a tenant table that two tenants could both claim', async () => {
    const uniques = await em.execute<{ table_name: string; name: string; columns: string[] }[]>(`
      select t.relname as table_name, i.relname as name,
        (select array_agg(a.attname::text) from unnest(x.indkey) k(num) join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.num) as columns
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where x.indisunique and t.relnamespace = 'public'::regnamespace`);
    const referenced = new Set(TENANT_REFERENCES.map((reference) => `${reference.table}.${reference.column}`));
    const open = uniques.filter(
      (unique) =>
        tables.has(unique.table_name) &&
        !unique.columns.includes('tenant_id') &&
        unique.columns.join() !== 'id' && // server-generated random uuids
        !unique.columns.some((column) => referenced.has(`${unique.table_name}.${column}`)),
    );
    // token_hash, code_hash: hashes of random bits the server generates. security_events' window key: its
    // source_key embeds the tenant id, and the row is upserted by the server (never a 409).
    assert.deepEqual(open.map((unique) => `${unique.name} (${unique.columns})`).sort(), [
      'api_tokens_token_hash_unique (token_hash)',
      'invitations_code_hash_unique (code_hash)',
      'security_events_source_kind_window_unique (kind,source_key,window_start)',
    ]);
  });

  it('is enforced by the database: even a write that passes row-level security cannot name another tenant\'s run', async () => {
    const insert = (runId: string) =>
      withTenant(nyx.database.orm, bob, (tx) =>
        tx.execute(`insert into reports (id, tenant_id, project_id, run_id, kind, title, markdown, metadata, created_at) values (?, ?, ?, ?, 'analysis', 't', 'm', '{}', now())`, [
          randomUUID(),
          bob.tenantId,
          bobProject,
          runId,
        ]),
      );
    const error = await insert(aliceRun).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(error, 'the insert naming another tenant\'s run succeeded');
    assert.equal((error as { code?: string }).code, '23503');
    assert.equal((error as { constraint?: string }).constraint, 'reports_run_id_tenant_fk');
    // The error middleware's backstop: a 404 on the field, nothing about the run.
    const mapped = constraintViolationToAppError(error)!;
    assert.equal(mapped.status, 404);
    assert.equal(mapped.field, 'runId');
    assert.equal(mapped.message, 'runId: not found');
    // Bob's own run is fine (the key is about tenants, not about refusing everything).
    const bobRun = (await startSelftest(nyx.url, bob, bobProject, { events: 1, seconds: 0 })).id;
    await insert(bobRun);
  });

  it('answers POST /reports naming another tenant\'s run with the 404 a missing run gets, and writes nothing', async () => {
    const count = async () => (await em.execute<{ n: string }[]>(`select count(*) as n from reports where tenant_id = ?`, [bob.tenantId]))[0].n;
    const before = await count();
    const body = (runId: string) => ({ projectId: bobProject, kind: 'analysis', markdown: '# squat', runId });
    const foreign = await api(nyx.url, 'POST', '/api/v1/reports', { token: bob.token, body: body(aliceRun) });
    const missing = await api(nyx.url, 'POST', '/api/v1/reports', { token: bob.token, body: body(randomUUID()) });
    assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
    assert.equal(foreign.body.field, 'runId');
    assert.equal(foreign.body.detail, 'runId: not found');
    assert.deepEqual(comparable(foreign), comparable(missing));
    assert.equal(await count(), before);
    // Twice, now that a report may exist: still the same 404, never a 500 from the unique key.
    assert.deepEqual(comparable(await api(nyx.url, 'POST', '/api/v1/reports', { token: bob.token, body: body(aliceRun) })), comparable(missing));
    // Another tenant's project is the same: a 404 on projectId.
    const project = await api(nyx.url, 'POST', '/api/v1/reports', { token: bob.token, body: { projectId: aliceProject, kind: 'analysis', markdown: 'x' } });
    assert.equal(project.status, 404);
    assert.equal(project.body.field, 'projectId');
  });

  it('answers POST /runs whose input names another tenant\'s personas with the 404 a missing persona gets', async () => {
    const personas = async (who: TestTenant) => (await api(nyx.url, 'GET', '/api/v1/personas', { token: who.token })).body.items.map((p: { id: string }) => p.id) as string[];
    const [aliceFirst, aliceSecond] = await personas(alice);
    const [bobFirst] = await personas(bob);
    assert.ok(aliceFirst && aliceSecond && bobFirst, 'both tenants have personas');
    const start = (personaIds: string[]) =>
      api(nyx.url, 'POST', '/api/v1/runs', { token: bob.token, body: { kind: 'discussion', projectId: bobProject, input: { topic: 'Is this ours?', personaIds } } });
    const runsBefore = (await em.execute<{ n: string }[]>(`select count(*) as n from runs where tenant_id = ?`, [bob.tenantId]))[0].n;
    const foreign = await start([bobFirst, aliceSecond]);
    const missing = await start([bobFirst, randomUUID()]);
    assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
    assert.equal(foreign.body.field, 'input.personaIds.1');
    assert.deepEqual(comparable(foreign), comparable(missing));
    assert.equal((await em.execute<{ n: string }[]>(`select count(*) as n from runs where tenant_id = ?`, [bob.tenantId]))[0].n, runsBefore);
    // The project a run names is checked the same way.
    const project = await api(nyx.url, 'POST', '/api/v1/runs', { token: bob.token, body: { kind: 'selftest', projectId: aliceProject, input: {} } });
    assert.equal(project.status, 404);
    assert.equal(project.body.field, 'projectId');
  });

  it('deletes what a project owns with it, through the API (row-level security does not stop the cascade)', async () => {
    const project = await createProject(nyx.url, alice, 'refs-doomed');
    const run = (await startSelftest(nyx.url, alice, project, { events: 1, seconds: 0 })).id;
    const report = await api(nyx.url, 'POST', '/api/v1/reports', { token: alice.token, body: { projectId: project, kind: 'analysis', markdown: '# bye', runId: run } });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    const left = async () =>
      (await em.execute<{ n: string }[]>(`select (select count(*) from runs where project_id = ?) + (select count(*) from reports where project_id = ?) + (select count(*) from run_events where run_id = ?) as n`, [project, project, run]))[0].n;
    assert.ok(Number(await left()) >= 2);
    const removed = await api(nyx.url, 'DELETE', `/api/v1/projects/${project}`, { token: alice.token });
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    assert.equal(Number(await left()), 0);
  });

  it('turns a unique violation into a 409 naming the field and never the value', async () => {
    const email = `dup-${randomUUID()}@example.test`;
    const insertUser = () =>
      em.execute(`insert into users (id, tenant_id, email, display_name, created_at) values (?, ?, ?, 'x', now())`, [randomUUID(), alice.tenantId, email]);
    await insertUser();
    const error = await insertUser().then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.equal((error as { code?: string }).code, '23505');
    const mapped = constraintViolationToAppError(error)!;
    assert.equal(mapped.status, 409);
    assert.equal(mapped.field, 'email');
    assert.ok(!mapped.message.includes(email), mapped.message);
  });
});
