import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createTestTenant, sharedNyx, TEST_DB, type TestNyx } from '../helpers/nyx.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { inlineParameters, selectAsTenant } from '#server/db/tenant-read.ts';
import { Project } from '#server/modules/projects/project.entity.ts';

interface ColumnInfo {
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  character_maximum_length: number | null;
}

/** Every table that carries tenant_id, read from the catalog: new tables join the matrix by themselves. */
async function tenantTables(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ table_name: string }[]>(
    `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((row) => row.table_name);
}

/** A value of the right type for a column; strings are random so unique constraints never collide. */
function sampleValue(column: ColumnInfo): string {
  switch (column.udt_name) {
    case 'uuid':
      return `'${randomUUID()}'`;
    case 'timestamptz':
    case 'timestamp':
    case 'date':
      return 'now()';
    case 'jsonb':
    case 'json':
      return `'{}'`;
    case 'bool':
      return 'false';
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'numeric':
      return '0';
    case 'vector':
      return `array_fill(0.1, array[1536])::vector`;
    case 'bytea':
      return `'\\x00'`;
    default: {
      const length = Math.min(column.character_maximum_length ?? 16, 16);
      return `'${randomBytes(8).toString('hex').slice(0, Math.max(1, length))}'`;
    }
  }
}

async function insertStatement(em: EntityManager, table: string, tenantId: string): Promise<string> {
  const columns = await em.execute<ColumnInfo[]>(
    `select column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
       from information_schema.columns where table_schema = 'public' and table_name = ? order by ordinal_position`,
    [table],
  );
  const required = columns.filter((c) => c.column_name === 'tenant_id' || c.column_name === 'id' || (c.is_nullable === 'NO' && c.column_default === null));
  const names = required.map((c) => `"${c.column_name}"`).join(', ');
  const values = required.map((c) => (c.column_name === 'tenant_id' ? `'${tenantId}'` : sampleValue(c))).join(', ');
  return `insert into "${table}" (${names}) values (${values})`;
}

/** Runs `sql` as nyx_app for `tenantId`; returns the affected/selected row count or the error. */
async function asTenant(nyx: TestNyx, tenantId: string, sql: string): Promise<{ count: number } | { error: string }> {
  const em = nyx.database.orm.em.fork() as EntityManager;
  try {
    return await em.transactional(async (tx) => {
      await tx.execute(`set local role nyx_app; select set_config('nyx.tenant_id', '${tenantId}', true)`, [], 'run');
      const result = await tx.execute(sql, [], 'all');
      // Updates and deletes say `returning 1`, so the row count is what they touched.
      const rows = result as unknown as { count?: string }[];
      return { count: sql.startsWith('select count') ? Number(rows[0].count) : rows.length };
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** What nyx_app may do on a table (its grants); the policies then decide which rows. */
async function privilegesOf(em: EntityManager, table: string): Promise<Record<'select' | 'insert' | 'update' | 'delete', boolean>> {
  const [row] = await em.execute<{ select: boolean; insert: boolean; update: boolean; delete: boolean }[]>(
    `select has_table_privilege('nyx_app', ?, 'SELECT') as "select", has_table_privilege('nyx_app', ?, 'INSERT') as "insert",
            has_table_privilege('nyx_app', ?, 'UPDATE') as "update", has_table_privilege('nyx_app', ?, 'DELETE') as "delete"`,
    [table, table, table, table],
  );
  return row!;
}

describe('row-level security matrix (generated from the catalog)', () => {
  let nyx: TestNyx;
  let tables: string[];
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    nyx = await sharedNyx();
    tenantA = (await createTestTenant(nyx, 'rls-a')).tenantId;
    tenantB = (await createTestTenant(nyx, 'rls-b')).tenantId;
    const em = nyx.database.orm.em.fork() as EntityManager;
    tables = await tenantTables(em);
    // Every table gets a row of tenant B, written by the system context. The synthesized rows name
    // random ids, which the composite foreign keys (decision 0011) would refuse; replica mode skips
    // foreign-key triggers for this seeding transaction only (the probes below run with them).
    await em.transactional(async (tx) => {
      await tx.execute('set local session_replication_role = replica', [], 'run');
      for (const table of tables) await tx.execute(await insertStatement(tx as EntityManager, table, tenantB));
    });
  });

  it('finds the tenant-owned tables in the catalog', () => {
    for (const expected of ['users', 'api_tokens', 'projects', 'audit_events', 'security_events']) assert.ok(tables.includes(expected), `${expected} missing`);
  });

  it('every tenant table has ENABLE + FORCE row-level security, a policy, and an index on tenant_id', async () => {
    const em = nyx.database.orm.em.fork() as EntityManager;
    const flags = await em.execute<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: string; indexed: boolean }[]>(
      `select c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (select count(*) from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies,
              exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                       where i.indrelid = c.oid and a.attname = 'tenant_id') as indexed
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname in (?)`,
      [tables],
    );
    assert.equal(flags.length, tables.length);
    for (const row of flags) {
      assert.ok(row.relrowsecurity, `${row.relname}: row level security is not enabled`);
      assert.ok(row.relforcerowsecurity, `${row.relname}: row level security is not forced`);
      assert.ok(Number(row.policies) > 0, `${row.relname}: has no policy`);
      assert.ok(row.indexed, `${row.relname}: tenant_id is not indexed`);
    }
  });

  it('nyx_app is neither owner, superuser nor bypassrls', async () => {
    const em = nyx.database.orm.em.fork() as EntityManager;
    const [role] = await em.execute<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }[]>(
      `select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'nyx_app'`,
    );
    assert.deepEqual(role, { rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = await em.execute(`select tablename from pg_tables where schemaname = 'public' and tableowner = 'nyx_app'`);
    assert.deepEqual(owned, []);
  });

  it('tenant B reaches its own rows (the control that makes the matrix meaningful)', async () => {
    for (const table of tables) {
      const result = await asTenant(nyx, tenantB, `select count(*) from "${table}" where tenant_id = '${tenantB}'`);
      assert.ok('count' in result && result.count >= 1, `${table}: tenant B cannot see its own row: ${JSON.stringify(result)}`);
    }
    // The update probe counts rows it touched; here it must touch B's own project row.
    const own = await asTenant(nyx, tenantB, `update "projects" set tenant_id = tenant_id where tenant_id = '${tenantB}' returning 1`);
    assert.ok('count' in own && own.count >= 1, `tenant B could not update its own project: ${JSON.stringify(own)}`);
  });

  it('tenant A can neither read, update, delete nor insert tenant B rows, in any tenant table: each refusal is the exact one expected', async () => {
    const em = nyx.database.orm.em.fork() as EntityManager;
    for (const table of tables) {
      const granted = await privilegesOf(em, table);
      // Without the privilege PostgreSQL refuses the statement; with it, the policy filters B's rows
      // out (0 rows, no error) or, for an insert, rejects the row. Any other error is a failure:
      // a broken probe (bad SQL, a missing column) must not count as "refused".
      const denied = { error: `permission denied for table ${table}` };
      const read = await asTenant(nyx, tenantA, `select count(*) from "${table}" where tenant_id = '${tenantB}'`);
      assert.deepEqual(read, granted.select ? { count: 0 } : denied, `${table}: select`);
      const update = await asTenant(nyx, tenantA, `update "${table}" set tenant_id = tenant_id where tenant_id = '${tenantB}' returning 1`);
      assert.deepEqual(update, granted.update ? { count: 0 } : denied, `${table}: update`);
      const remove = await asTenant(nyx, tenantA, `delete from "${table}" where tenant_id = '${tenantB}' returning 1`);
      assert.deepEqual(remove, granted.delete ? { count: 0 } : denied, `${table}: delete`);
      const insert = await asTenant(nyx, tenantA, await insertStatement(em, table, tenantB));
      assert.deepEqual(insert, granted.insert ? { error: `new row violates row-level security policy for table "${table}"` } : denied, `${table}: insert`);
    }
  });

  it('with no tenant set, nyx_app sees no rows at all (fail closed)', async () => {
    const em = nyx.database.orm.em.fork() as EntityManager;
    for (const table of tables) {
      const granted = await privilegesOf(em, table);
      const seen = await em
        .transactional(async (tx) => {
          await tx.execute('set local role nyx_app', [], 'run');
          const rows = await tx.execute<{ count: string }[]>(`select count(*) from "${table}"`);
          return { count: Number(rows[0].count) };
        })
        .catch((error: Error) => ({ error: error.message }));
      assert.deepEqual(seen, granted.select ? { count: 0 } : { error: `permission denied for table ${table}` }, `${table}: without a tenant`);
    }
  });
});

describe('withTenant: one statement opens a scoped transaction', () => {
  let nyx: TestNyx;
  before(async () => {
    nyx = await sharedNyx();
  });

  it('runs as nyx_app with the tenant set, only inside the transaction', async () => {
    const { tenantId } = await createTestTenant(nyx, 'scope');
    const inside = await withTenant(nyx.database.orm, { tenantId, userId: null }, (em) =>
      em.execute<{ role: string; tenant: string }[]>(`select current_user as role, current_setting('nyx.tenant_id', true) as tenant`),
    );
    assert.deepEqual(inside[0], { role: 'nyx_app', tenant: tenantId });
    const after = await systemEm(nyx.database.orm).execute<{ role: string; tenant: string | null }[]>(
      `select current_user as role, nullif(current_setting('nyx.tenant_id', true), '') as tenant`,
    );
    assert.notEqual(after[0].role, 'nyx_app');
    assert.equal(after[0].tenant, null, 'the tenant must not outlive its transaction');
  });

  it('does not scope system work started inside a tenant callback', async function () {
    // The embedded database has a pool of one connection: nested work there would wait forever.
    if (TEST_DB === 'embedded') this.skip();
    const { tenantId } = await createTestTenant(nyx, 'nested');
    const nestedRole = await withTenant(nyx.database.orm, { tenantId, userId: null }, async () => {
      const system = systemEm(nyx.database.orm);
      return system.transactional((tx) => tx.execute<{ role: string }[]>('select current_user as role'));
    });
    assert.notEqual(nestedRole[0].role, 'nyx_app');
  });

  it('refuses a tenant id that is not a uuid before touching the database', async () => {
    await assert.rejects(withTenant(nyx.database.orm, { tenantId: "x'; drop table projects; --", userId: null }, async () => 1), /not a tenant id/);
  });
});

describe('selectAsTenant: a scoped read in one round trip', () => {
  let nyx: TestNyx;
  before(async () => {
    nyx = await sharedNyx();
  });

  it('inlines parameters as escaped literals, leaving quoted text alone', () => {
    assert.equal(
      inlineParameters(`select * from "t?" where a = ? and b = ? and c = ? and d = 'x?'`, ["o'clock \\ back", 5, null]),
      `select * from "t?" where a =  E'o''clock \\\\ back' and b = 5 and c = null and d = 'x?'`,
    );
    assert.throws(() => inlineParameters('select ?', []), /more placeholders/);
    assert.throws(() => inlineParameters('select 1', [1]), /more parameters/);
    assert.throws(() => inlineParameters('select ?', [{ a: 1 }]), /cannot inline/);
  });

  it('sees only the tenant\'s rows, and a failed read leaves the connection usable', async () => {
    const a = await createTestTenant(nyx, 'read-a');
    const b = await createTestTenant(nyx, 'read-b');
    const orm = nyx.database.orm;
    const bProject = await withTenant(orm, b, async (em) => {
      const row = em.create(Project, { tenantId: b.tenantId, name: 'only b', createdBy: b.userId, updatedBy: b.userId });
      await em.flush();
      return row;
    });
    assert.deepEqual(await selectAsTenant(orm, a, Project, { id: bProject.id }), []);
    const mine = await selectAsTenant(orm, b, Project, { id: bProject.id });
    assert.equal(mine[0]?.name, 'only b');
    await assert.rejects(selectAsTenant(orm, b, Project, { id: 'not-a-uuid' }), /uuid/);
    const again = await selectAsTenant(orm, b, Project, {}, { orderBy: { name: 'asc' } });
    assert.ok(again.some((row) => row.id === bProject.id), 'the connection recovered from the failed read');
    const [role] = await systemEm(orm).execute<{ role: string }[]>('select current_user as role');
    assert.notEqual(role.role, 'nyx_app', 'no role leaked out of the read');
  });
});
