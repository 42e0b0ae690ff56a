import type { DatabaseHealth } from '#protocol/health.ts';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import { migrationStatus } from '#server/db/migrate.ts';

export async function databaseHealth(orm: Orm, embedded: boolean): Promise<DatabaseHealth> {
  const database = embedded ? 'embedded' : 'external';
  try {
    const em = systemEm(orm);
    const started = performance.now();
    await em.execute('select 1');
    const roundTripMs = Math.round((performance.now() - started) * 100) / 100;
    const [row] = await em.execute<{ vector: string | null; server: string }[]>(
      `select (select extversion from pg_extension where extname = 'vector') as vector, current_setting('server_version') as server`,
    );
    const { pending } = await migrationStatus(orm);
    const ok = pending.length === 0 && row.vector !== null;
    return {
      status: ok ? 'ok' : 'degraded',
      database,
      roundTripMs,
      pendingMigrations: pending.length,
      pgvectorVersion: row.vector,
      serverVersion: row.server,
    };
  } catch (error) {
    return { status: 'down', database, roundTripMs: null, pendingMigrations: null, pgvectorVersion: null, serverVersion: null, error: (error as Error).message };
  }
}
