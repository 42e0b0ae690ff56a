import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /** A normal postgres:// URL, so the `pg` driver and `psql` work unchanged. */
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM, persisted under `dataDir`, served on a loopback port.
 * One process owns the files; the socket server queues queries, so the ORM uses a pool of one.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = await lockDataDir(dataDir);
  const db = await PGlite.create({ dataDir, extensions: { vector } }).catch(async (error) => {
    await rm(lockFile, { force: true });
    throw error;
  });
  await db.exec('create extension if not exists vector');
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    async close() {
      await server.stop();
      await db.close();
      await rm(lockFile, { force: true });
    },
  };
}

export class DatabaseInUseError extends Error {}

/**
 * PGlite's files must have one owner: a second process opening them would corrupt them. The
 * owner's pid sits in a lock file; a lock whose process is gone is taken over.
 */
async function lockDataDir(dataDir: string): Promise<string> {
  const lockFile = join(dataDir, '..', 'db.lock');
  const holder = Number(await readFile(lockFile, 'utf8').catch(() => '0'));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new DatabaseInUseError(
      `The embedded database in ${dataDir} is in use by process ${holder} (a running nyx-server). Stop it first, or use its HTTP API.`,
    );
  }
  await writeFile(lockFile, String(process.pid));
  return lockFile;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
