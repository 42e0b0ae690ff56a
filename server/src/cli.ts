import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { AppError } from './errors.ts';
import { ADMIN_USAGE, isAdminCommand, type AdminRequest } from './modules/tenancy/admin-protocol.ts';
import { callAdminSocket } from './admin-client.ts';
import type { Orm } from './db/orm.ts';

// The server, its database and migrations load only when a command needs them: an admin command
// that the running server answers over its socket stays quick.
const server = () => import('./main.ts');

const USAGE = `Usage: nyx-server <command> [options]

  start                                   start the service (embedded database unless DATABASE_URL is set)
  migrate up|down|status                  apply, roll back one, or list migrations
${ADMIN_USAGE}

Administrative commands run inside the running server when one answers on $NYX_HOME/admin.sock,
and against the database otherwise. Every command accepts --json for machine-readable output.`;

type Out = (human: string, data: unknown) => void;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      user: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      hours: { type: 'string' },
      scope: { type: 'string' },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const out: Out = (human, data) => console.log(values.json ? JSON.stringify(data) : human);
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  const log = createLogger(command === 'start' ? config.logLevel : 'warn');

  if (command === 'start') return start(config, log, out);

  const admin = `${command} ${sub ?? ''}`.trim();
  if (isAdminCommand(admin)) {
    const request: AdminRequest = {
      command: admin,
      positionals: rest,
      options: { tenant: values.tenant, user: values.user, name: values.name, role: values.role, email: values.email, hours: values.hours, scope: values.scope, days: values.days },
    };
    // A running server does it (the embedded database is its alone, and it forgets revoked
    // tokens at once); with none, the database is opened here.
    const viaServer = await callAdminSocket(config.home, request);
    if (viaServer) {
      console.error(`nyx-server: done by the running server (${viaServer.socket})`);
      out(viaServer.answer.human, viaServer.answer.data);
      return 0;
    }
    const database = await (await server()).openDatabase(config, log);
    try {
      const orm = database.orm;
      const { runAdminCommand } = await import('./modules/tenancy/admin-commands.ts');
      const answer = await runAdminCommand({ orm, forget: (ids) => announceAll(orm, ids) }, request);
      out(answer.human, answer.data);
      return 0;
    } finally {
      await database.close();
    }
  }

  const database = await (await server()).openDatabase(config, log, { migrate: command !== 'migrate' });
  const { migrateDown, migrateUp, migrationStatus } = await import('./db/migrate.ts');
  try {
    const { orm } = database;
    switch (`${command} ${sub ?? ''}`.trim()) {
      case 'migrate up': {
        const applied = await migrateUp(orm, database.url, database.embedded);
        out(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.', { applied });
        return 0;
      }
      case 'migrate down': {
        const reverted = await migrateDown(orm, database.url, database.embedded);
        out(reverted.length ? `Reverted: ${reverted.join(', ')}` : 'Nothing to revert.', { reverted });
        return 0;
      }
      case 'migrate status': {
        const status = await migrationStatus(orm);
        out([...status.executed.map((n) => `  applied  ${n}`), ...status.pending.map((n) => `  pending  ${n}`)].join('\n') || 'No migrations.', status);
        return 0;
      }
      default:
        console.error(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await database.close();
  }
}

/** With no server running, other instances on the same PostgreSQL still hear about it. */
async function announceAll(orm: Orm, tokenIds: string[]): Promise<void> {
  const { announceToInstances } = await import('./events/pg-bus.ts');
  for (const tokenId of tokenIds) await announceToInstances(orm, { type: 'token.revoked', tokenId });
}

async function start(config: ReturnType<typeof loadConfig>, log: ReturnType<typeof createLogger>, out: Out): Promise<number> {
  const { embeddedDataDir, embeddedSocketDir, startNyx } = await server();
  const nyx = await startNyx(config, log);
  // Never the URL itself: a DATABASE_URL may carry a password. The embedded socket needs none,
  // but saying where it is and who can reach it is what a reader needs.
  const database = nyx.database.embedded
    ? `embedded PostgreSQL (PGlite) in ${embeddedDataDir(config.home)}, on a Unix socket in ${embeddedSocketDir(config.home)} that only this OS user can open`
    : 'DATABASE_URL';
  out(
    [
      `Nyx is listening on ${nyx.url}`,
      `Database: ${database}`,
      nyx.credentialsFile
        ? `Editors on this machine connect by themselves (credentials in ${nyx.credentialsFile}); set "nyx.serverUrl" to ${nyx.url} if you changed the port.`
        : `Connect an editor: set "nyx.serverUrl" to ${nyx.url} and run "Nyx: Sign In" with a token from \`nyx-server token create\`.`,
    ].join('\n'),
    { url: nyx.url, database: nyx.database.embedded ? 'embedded' : 'external', credentialsFile: nyx.credentialsFile },
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      void nyx.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (error: unknown) => {
    const { StartupError } = await server();
    const { DatabaseInUseError, EmbeddedSocketPathError } = await import('./db/embedded.ts');
    const known = error instanceof ConfigError || error instanceof StartupError || error instanceof DatabaseInUseError || error instanceof EmbeddedSocketPathError || AppError.is(error);
    console.error(known ? `nyx-server: ${(error as Error).message}` : error);
    process.exit(known ? 1 : 70);
  },
);
