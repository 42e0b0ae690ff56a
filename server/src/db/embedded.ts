import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /**
   * A normal postgres:// URL whose host is the socket directory (percent-encoded), so the `pg`
   * driver and `psql` work unchanged, but only for this OS user.
   */
  url: string;
  dataDir: string;
  /** The directory holding the Unix socket (mode 0700). */
  socketDir: string;
  close(): Promise<void>;
}

/**
 * The port only names the socket file (`.s.PGSQL.<port>`, what libpq and `pg` look for in a socket
 * directory); nothing listens on TCP.
 */
const SOCKET_PORT = 5432;

/** Linux's sun_path holds 108 bytes including the terminating NUL; macOS holds 104. */
const MAX_SOCKET_PATH = 103;

export class EmbeddedSocketPathError extends Error {}

/**
 * PostgreSQL compiled to WASM, persisted under `dataDir`, served on a Unix socket in `socketDir`.
 *
 * PGlite runs as a single superuser and its socket server cannot check a password, so anyone
 * who reaches the socket owns every tenant's rows. A loopback TCP port is reachable by every OS
 * user of the machine; a Unix socket in a 0700 directory is reachable only by the user who
 * started Nyx (and root). The data directory is 0700 for the same reason: reading the files is
 * reading the database.
 *
 * One process owns the files; the socket server queues queries, so the ORM uses a pool of one.
 */
export async function startEmbeddedDatabase(dataDir: string, socketDir: string): Promise<EmbeddedDatabase> {
  const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new EmbeddedSocketPathError(
      `The embedded database's socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH} bytes a Unix socket allows. Set NYX_HOME to a shorter directory.`,
    );
  }
  await privateDirectory(dataDir);
  await privateDirectory(socketDir);
  const lockFile = await lockDataDir(dataDir);
  const db = await PGlite.create({ dataDir, extensions: { vector } }).catch(async (error) => {
    await rm(lockFile, { force: true });
    throw error;
  });
  await db.exec('create extension if not exists vector');
  // We hold the data-directory lock, so a socket file left here belongs to a process that died
  // without cleaning up; listening would fail with EADDRINUSE.
  await rm(socketPath, { force: true });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 4 });
  try {
    await server.start();
    // Belt and braces: the directory already keeps others out; the socket itself says so too.
    await chmod(socketPath, 0o600);
  } catch (error) {
    await server.stop().catch(() => undefined);
    await db.close();
    await rm(lockFile, { force: true });
    throw error;
  }
  return {
    url: `postgres://postgres@${encodeURIComponent(socketDir)}:${SOCKET_PORT}/postgres`,
    dataDir,
    socketDir,
    async close() {
      await server.stop();
      await db.close();
      await rm(socketPath, { force: true });
      await rm(lockFile, { force: true });
    },
  };
}

/** Creates the directory if needed and makes it 0700, also when it existed with looser modes. */
async function privateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  await chmod(path, 0o700);
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
  await writeFile(lockFile, String(process.pid), { mode: 0o600 });
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
