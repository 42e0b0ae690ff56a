import pg from 'pg';
import type { Orm } from './orm.ts';

export interface MigrationStatus {
  executed: string[];
  pending: string[];
}

/** An arbitrary constant: every Nyx instance on one database agrees on it. */
const MIGRATION_LOCK_KEY = 7_420_001;

/**
 * Runs `work` while holding a session advisory lock on a dedicated connection, so two instances
 * starting together migrate one after the other. The embedded database belongs to one process,
 * and its socket serves one connection at a time, so there the lock is skipped.
 */
async function withMigrationLock<T>(url: string, embedded: boolean, work: () => Promise<T>): Promise<T> {
  if (embedded) return work();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

export async function migrateUp(orm: Orm, url: string, embedded: boolean): Promise<string[]> {
  return withMigrationLock(url, embedded, async () => {
    const done = await orm.migrator.up();
    return done.map((migration) => migration.name);
  });
}

export async function migrateDown(orm: Orm, url: string, embedded: boolean): Promise<string[]> {
  return withMigrationLock(url, embedded, async () => {
    const done = await orm.migrator.down();
    return done.map((migration) => migration.name);
  });
}

export async function migrationStatus(orm: Orm): Promise<MigrationStatus> {
  const [executed, pending] = await Promise.all([orm.migrator.getExecuted(), orm.migrator.getPending()]);
  return { executed: executed.map((row) => row.name), pending: pending.map((info) => info.name) };
}
