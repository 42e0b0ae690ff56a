import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { NyxConfig } from './config.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded.ts';
import { createOrm, type Orm } from './db/orm.ts';
import { migrateUp } from './db/migrate.ts';
import { systemEm } from './db/tenant-context.ts';
import { createLogger, type Logger } from './logger.ts';
import { createApp } from './app.ts';
import type { AppServices } from './services.ts';
import { entitiesOf, runKindsOf } from './feature.ts';
import { features } from './features.ts';
import { loadServerSecretBox } from './modules/ai/secret-key.ts';
import { createRunRuntime, type RunRuntime } from '#server/modules/runs/engine/runtime.ts';
import { PdfRenderer } from './modules/reports/pdf-renderer.ts';
import { Tenant } from './modules/tenancy/tenant.entity.ts';
import { createTenant, createToken, createUser } from './modules/tenancy/service.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  orm: Orm;
  close(): Promise<void>;
}

export class StartupError extends Error {}

/** Where the embedded database keeps its files, and the 0700 directory of its Unix socket. */
export const embeddedDataDir = (home: string): string => join(home, 'db');
export const embeddedSocketDir = (home: string): string => join(home, 'socket');

const DATABASE_CLOSE_TIMEOUT_MS = 5_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Opens the configured database (embedded unless DATABASE_URL is set) and brings its schema up to date. */
export async function openDatabase(config: NyxConfig, log: Logger, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  let embedded: EmbeddedDatabase | null = null;
  if (!config.databaseUrl) embedded = await startEmbeddedDatabase(embeddedDataDir(config.home), embeddedSocketDir(config.home));
  const url = config.databaseUrl ?? embedded!.url;
  let orm: Orm;
  try {
    orm = await createOrm({ url, poolSize: embedded ? 1 : config.dbPoolSize, entities: entitiesOf(features) });
    await assertSystemRole(orm);
    if (options.migrate !== false) {
      const applied = await migrateUp(orm, url, Boolean(embedded));
      if (applied.length) log.info({ applied }, 'migrations applied');
    }
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url,
    embedded: Boolean(embedded),
    orm,
    close() {
      // Idempotent: a shutdown may race a test or a signal that already closed the database.
      closing ??= (async () => {
        // Bounded: pg's pool waits for every client it handed out, and one whose connection was
        // cut mid-handshake (the database dropped or restarted) is never given back. Shutdown
        // must still end; the process exits right after and takes the socket with it.
        const closed = await Promise.race([orm.close(true).then(() => true), delay(DATABASE_CLOSE_TIMEOUT_MS).then(() => false)]);
        if (!closed) log.warn({ timeoutMs: DATABASE_CLOSE_TIMEOUT_MS }, 'database connections did not close in time; shutting down without them');
        await embedded?.close();
      })();
      return closing;
    },
  };
}

/**
 * The connecting role is the system context: it claims runs across tenants and looks up tokens,
 * so it must bypass RLS. Request work drops to nyx_app. Say so plainly instead of failing later.
 */
async function assertSystemRole(orm: Orm): Promise<void> {
  const [role] = await systemEm(orm).execute<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }[]>(
    'select rolname, rolsuper, rolbypassrls from pg_roles where rolname = current_user',
  );
  if (!role.rolsuper && !role.rolbypassrls) {
    throw new StartupError(
      `The database role "${role.rolname}" can neither bypass row-level security nor is it a superuser. ` +
        `Nyx's system context needs it: run \`alter role "${role.rolname}" bypassrls\` as a superuser, or connect as the schema owner with that attribute.`,
    );
  }
}

export interface LocalCredentials {
  serverUrl: string;
  token: string;
  tenantId: string;
  userId: string;
}

/**
 * On the embedded database, the first start creates a local tenant, user and token and leaves
 * them in $NYX_HOME/credentials.json (0600), so an editor on this machine connects untouched.
 */
async function ensureLocalCredentials(home: string, orm: Orm, serverUrl: string, log: Logger): Promise<string> {
  const file = join(home, 'credentials.json');
  const existing = await readFile(file, 'utf8').then((text) => JSON.parse(text) as LocalCredentials).catch(() => null);
  if (existing) {
    if (existing.serverUrl !== serverUrl) await writeCredentials(file, { ...existing, serverUrl });
    return file;
  }
  if ((await systemEm(orm).count(Tenant, {})) > 0) return file;
  const tenant = await createTenant(orm, 'local');
  const user = await createUser(orm, tenant.id, 'me@localhost', 'Local user');
  const issued = await createToken(orm, user.id, 'local editor');
  await writeCredentials(file, { serverUrl, token: issued.token, tenantId: tenant.id, userId: user.id });
  log.info({ file }, 'created a local tenant, user and token');
  return file;
}

async function writeCredentials(file: string, credentials: LocalCredentials): Promise<void> {
  await writeFile(file, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
}

export interface RunningNyx {
  url: string;
  config: NyxConfig;
  database: DatabaseHandle;
  log: Logger;
  server: Server;
  credentialsFile: string | null;
  /** What the routes get; work outside a request (runs, model gateways) uses it too. */
  services: AppServices;
  /** The runner, event bus and hub of this instance. */
  runs: RunRuntime;
  close(): Promise<void>;
}

export async function startNyx(config: NyxConfig, log: Logger = createLogger(config.logLevel)): Promise<RunningNyx> {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  // Before the database opens: a bad key file stops the start with nothing left running.
  const secretBox = await loadServerSecretBox(config);
  const database = await openDatabase(config, log);
  const runs = await createRunRuntime(config, database.orm, log, database.url, database.embedded);
  const services: AppServices = { config, orm: database.orm, log, version: VERSION, embedded: database.embedded, startedAt: Date.now(), runs, secretBox, pdf: new PdfRenderer(config.chromiumPath, log) };
  for (const runKind of runKindsOf(features)) runs.registry.registerRunHandler(runKind.kind, runKind.handler(services), { input: runKind.input, references: runKind.references, precondition: runKind.precondition });
  const stops = features.flatMap((feature) => (feature.start ? [feature.start(services)] : []));
  const { app } = createApp(services);
  const server = createServer(app.callback());
  server.requestTimeout = 0; // event streams stay open; idle sockets are bounded by keep-alive below
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const credentialsFile = database.embedded ? await ensureLocalCredentials(config.home, database.orm, url, log) : null;
  runs.start();
  let closing: Promise<void> | null = null;
  return {
    url,
    config,
    database,
    log,
    server,
    credentialsFile,
    services,
    runs,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const stop of stops) stop();
        await runs.close();
        await services.pdf.close();
        await database.close();
      })();
      return closing;
    },
  };
}
