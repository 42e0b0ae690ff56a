import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ConfigError, loadConfig } from '#server/config.ts';
import { api } from '../helpers/http.ts';
import { createScratchDatabase, startTestNyx, TEST_DB } from '../helpers/nyx.ts';

const BIN = new URL('../../../server/bin/nyx-server.js', import.meta.url).pathname;
const run = promisify(execFile);

interface Started {
  child: ChildProcess;
  url: string;
  credentialsFile: string | null;
}

/** Starts the real CLI and waits for its --json start line. */
function startCli(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start', '--json'], { env: { ...process.env, NYX_PORT: '0', NYX_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ child, ...JSON.parse(line) });
    });
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.on('exit', (code) => reject(new Error(`nyx-server exited with ${code}: ${err}`)));
  });
}

function stopCli(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/**
 * Takes the database away under a running server: the embedded one is shut down; on a real
 * server the scratch database stops accepting connections and its sessions are ended.
 */
async function cutDatabase(url: string, closeEmbedded: () => Promise<void>): Promise<void> {
  if (TEST_DB === 'embedded') return closeEmbedded();
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.NYX_TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`alter database ${name} allow_connections = false`);
  await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  await admin.end();
}

describe('nyx-server lifecycle and CLI', function () {
  // Each CLI call is a new process that opens the database; on the embedded one that is a PGlite
  // start (seconds on a quiet machine, far more on a loaded one), and a test makes up to four.
  // The limit only guards against a hang.
  this.timeout(240_000);
  let home: string;
  let env: NodeJS.ProcessEnv;
  let dropDatabase: (() => Promise<void>) | null = null;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'nyx-cli-'));
    env = { NYX_HOME: home };
    if (TEST_DB === 'postgres') {
      const scratch = await createScratchDatabase();
      env.DATABASE_URL = scratch.url;
      dropDatabase = scratch.drop;
    }
  });

  after(async () => {
    await dropDatabase?.();
    await rm(home, { recursive: true, force: true });
  });

  it('administers tenants, users and tokens from the CLI, with --json', async () => {
    const tenant = JSON.parse((await run(process.execPath, [BIN, 'tenant', 'create', 'Acme Corp', '--json'], { env: { ...process.env, ...env } })).stdout);
    assert.equal(tenant.name, 'Acme Corp');
    const user = JSON.parse((await run(process.execPath, [BIN, 'user', 'create', '--tenant', 'Acme Corp', 'Ada@Acme.test', '--json'], { env: { ...process.env, ...env } })).stdout);
    assert.equal(user.email, 'ada@acme.test');
    assert.equal(user.tenantId, tenant.id);
    const token = JSON.parse((await run(process.execPath, [BIN, 'token', 'create', '--user', 'ada@acme.test', '--json'], { env: { ...process.env, ...env } })).stdout);
    assert.match(token.token, /^nyx_[A-Za-z0-9_-]{40}$/);
    const status = JSON.parse((await run(process.execPath, [BIN, 'migrate', 'status', '--json'], { env: { ...process.env, ...env } })).stdout);
    assert.deepEqual(status.pending, []);
    assert.ok(status.executed.includes('Migration20261122000001Foundation'));
    env.NYX_TEST_TOKEN = token.token;
  });

  it('rolls the newest migration back and forward again', async () => {
    const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, ...env } })).stdout);
    const before = await cli('migrate', 'status');
    const newest = before.executed.at(-1);
    const down = await cli('migrate', 'down');
    assert.deepEqual(down.reverted, [newest]);
    assert.deepEqual((await cli('migrate', 'status')).pending, [newest]);
    const up = await cli('migrate', 'up');
    assert.deepEqual(up.applied, [newest]);
  });

  it('revokes a token from the CLI by its prefix', async () => {
    const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [BIN, ...args, '--json'], { env: { ...process.env, ...env } })).stdout);
    const spare = await cli('token', 'create', '--user', 'ada@acme.test', '--name', 'spare');
    const revoked = await cli('token', 'revoke', spare.prefix);
    assert.equal(revoked.id, spare.id);
    assert.ok(revoked.revokedAt);
  });

  it('explains a bad CLI call and exits non-zero', async () => {
    await assert.rejects(run(process.execPath, [BIN, 'user', 'create', 'x@y.z'], { env: { ...process.env, ...env } }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stderr, /--tenant/);
      return true;
    });
  });

  it('starts, answers health, keeps data across a restart, and shuts down cleanly on SIGTERM', async () => {
    const first = await startCli(env);
    try {
      const health = await api(first.url, 'GET', '/api/health/db');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      assert.equal(health.body.pendingMigrations, 0);
      assert.match(health.body.pgvectorVersion, /^0\./);
      const created = await api(first.url, 'POST', '/api/v1/projects', { token: env.NYX_TEST_TOKEN, body: { name: 'survives restarts' } });
      assert.equal(created.status, 201);
    } finally {
      assert.equal(await stopCli(first.child), 0);
    }
    const second = await startCli(env);
    try {
      const list = await api(second.url, 'GET', '/api/v1/projects', { token: env.NYX_TEST_TOKEN });
      assert.deepEqual(list.body.items.map((p: { name: string }) => p.name), ['survives restarts']);
    } finally {
      assert.equal(await stopCli(second.child), 0);
    }
  });

  it('creates local credentials (0600) on a fresh embedded home, and an editor can use them', async function () {
    if (TEST_DB === 'postgres') this.skip(); // local credentials are an embedded-database convenience
    const freshHome = await mkdtemp(join(tmpdir(), 'nyx-fresh-'));
    const started = await startCli({ NYX_HOME: freshHome });
    try {
      assert.equal(started.credentialsFile, join(freshHome, 'credentials.json'));
      const mode = (await stat(started.credentialsFile!)).mode & 0o777;
      assert.equal(mode, 0o600);
      const credentials = JSON.parse(await readFile(started.credentialsFile!, 'utf8'));
      assert.equal(credentials.serverUrl, started.url);
      const me = await api(started.url, 'GET', '/api/v1/me', { token: credentials.token });
      assert.equal(me.status, 200);
      assert.equal(me.body.tenant.name, 'local');
      // While the server owns the embedded database, the CLI must refuse to open it...
      await assert.rejects(run(process.execPath, [BIN, 'migrate', 'status'], { env: { ...process.env, NYX_HOME: freshHome } }), /in use by process/);
      // ...and administrative commands go through the server's admin socket instead (docs/team-admin.md).
      const created = await run(process.execPath, [BIN, 'tenant', 'create', 'x', '--json'], { env: { ...process.env, NYX_HOME: freshHome } });
      assert.match(created.stderr, /done by the running server/);
      assert.equal(JSON.parse(created.stdout).name, 'x');
    } finally {
      await stopCli(started.child);
      await rm(freshHome, { recursive: true, force: true });
    }
  });

  it('answers 503 from /api/health/db when the database is gone', async () => {
    const nyx = await startTestNyx();
    try {
      await cutDatabase(nyx.databaseUrl, () => nyx.database.close());
      const res = await api(nyx.url, 'GET', '/api/health/db');
      assert.equal(res.status, 503);
      assert.equal(res.body.status, 'down');
      assert.ok(res.body.error);
    } finally {
      await nyx.close().catch(() => undefined);
    }
  });

  it('finishes shutting down when a database connection is never given back', async () => {
    // What a connection cut mid-handshake leaves in pg's pool: a client nobody releases. The
    // pool's end() would wait for it forever; shutdown gives up on it after a bound and says so.
    const lines: string[] = [];
    const nyx = await startTestNyx({ logLevel: 'warn' }, { logLines: lines });
    const pool = (await nyx.database.orm.em.fork().getConnection().getNativeClient()) as unknown as pg.Pool;
    await pool.connect();
    await nyx.close();
    assert.ok(lines.some((line) => line.includes('database connections did not close in time')), lines.join('\n'));
  });

  it('refuses invalid configuration, naming the variable', () => {
    assert.throws(() => loadConfig({ NYX_PORT: 'eighty' }), (error: Error) => error instanceof ConfigError && /NYX_PORT/.test(error.message));
    assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ NYX_BODY_LIMIT: 'lots' }), /NYX_BODY_LIMIT/);
    assert.equal(loadConfig({}).port, 7420);
    assert.equal(loadConfig({}).host, '127.0.0.1');
  });
});
