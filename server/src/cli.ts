import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { embeddedDataDir, embeddedSocketDir, openDatabase, startNyx, StartupError } from './main.ts';
import { migrateDown, migrateUp, migrationStatus } from './db/migrate.ts';
import { AppError } from './errors.ts';
import { announceToInstances } from './events/pg-bus.ts';
import { createTenant, createToken, createUser, findTenant, findUser, revokeToken } from './modules/tenancy/service.ts';
import { DatabaseInUseError, EmbeddedSocketPathError } from './db/embedded.ts';

const USAGE = `Usage: nyx-server <command> [options]

  start                                   start the service (embedded database unless DATABASE_URL is set)
  migrate up|down|status                  apply, roll back one, or list migrations
  tenant create <name>                    create a tenant
  user create --tenant <id|name> <email>  create a user in a tenant
  token create --user <id|email> [--name <label>]
                                          create an API token (printed once)
  token revoke <id|prefix>                revoke an API token

Every command accepts --json for machine-readable output.`;

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

  const database = await openDatabase(config, log, { migrate: command !== 'migrate' });
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
      case 'tenant create': {
        const name = rest.join(' ') || values.name;
        if (!name) throw new AppError(400, 'usage', 'tenant create needs a name: nyx-server tenant create <name>');
        const tenant = await createTenant(orm, name);
        out(`Created tenant "${tenant.name}" (${tenant.id})`, { id: tenant.id, name: tenant.name });
        return 0;
      }
      case 'user create': {
        const email = rest[0];
        if (!values.tenant || !email) throw new AppError(400, 'usage', 'user create needs --tenant and an email: nyx-server user create --tenant <id|name> <email>');
        const tenant = await findTenant(orm, values.tenant);
        const user = await createUser(orm, tenant.id, email, values.name);
        out(`Created user ${user.email} (${user.id}) in tenant "${tenant.name}"`, { id: user.id, email: user.email, tenantId: tenant.id });
        return 0;
      }
      case 'token create': {
        if (!values.user) throw new AppError(400, 'usage', 'token create needs --user: nyx-server token create --user <id|email>');
        const user = await findUser(orm, values.user);
        const issued = await createToken(orm, user.id, values.name ?? 'cli');
        out(`${issued.token}\n\nThis is the only time the token is shown. Keep it secret.`, issued);
        return 0;
      }
      case 'token revoke': {
        if (!rest[0]) throw new AppError(400, 'usage', 'token revoke needs the token id or its prefix: nyx-server token revoke <id|prefix>');
        const revoked = await revokeToken(orm, rest[0]);
        // Running servers cache tokens for a few seconds; this makes them forget it now.
        await announceToInstances(orm, { type: 'token.revoked', tokenId: revoked.id });
        out(`Revoked token ${revoked.prefix}… (${revoked.id})`, revoked);
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

async function start(config: ReturnType<typeof loadConfig>, log: ReturnType<typeof createLogger>, out: Out): Promise<number> {
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
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof StartupError || error instanceof DatabaseInUseError || error instanceof EmbeddedSocketPathError || AppError.is(error);
    console.error(known ? `nyx-server: ${(error as Error).message}` : error);
    process.exit(known ? 1 : 70);
  },
);
