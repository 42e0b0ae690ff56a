import assert from 'node:assert/strict';
import { sharedNyx, type TestNyx } from '../helpers/nyx.ts';

describe('schema: migrations match the ORM metadata', () => {
  let nyx: TestNyx;
  before(async () => {
    nyx = await sharedNyx();
  });

  it('has no difference between the migrated database and the entities', async () => {
    const diff = await nyx.database.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
    assert.equal(diff.trim(), '', `the ORM would change the migrated schema:\n${diff}`);
  });

  it('has no pending migrations after start', async () => {
    const pending = await nyx.database.orm.migrator.getPending();
    assert.deepEqual(pending.map((m) => m.name), []);
  });

  it('runs on a database with pgvector available', async () => {
    const rows = await nyx.database.orm.em.fork().execute<{ extversion: string }[]>(`select extversion from pg_extension where extname = 'vector'`);
    assert.equal(rows.length, 1);
    assert.match(rows[0].extversion, /^0\.\d+\.\d+$/);
  });
});
