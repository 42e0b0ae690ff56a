import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type NyxConfig } from '#server/config.ts';
import { createLogger } from '#server/logger.ts';
import { startNyx, type RunningNyx } from '#server/main.ts';
import { createTenant, createToken, createUser } from '#server/modules/tenancy/service.ts';

/**
 * Which database the suite runs on: `embedded` (PGlite, the default) or `postgres` (a real server,
 * given by NYX_TEST_DATABASE_URL; each test instance gets a fresh database on it).
 */
export const TEST_DB: 'embedded' | 'postgres' = process.env.NYX_TEST_DB === 'postgres' ? 'postgres' : 'embedded';

export interface TestNyx extends RunningNyx {
  home: string;
  /** The database URL, for tests that open their own connections (psql-like checks). */
  databaseUrl: string;
}

/** Creates a fresh, empty database on the real test server and returns its URL. */
export async function createScratchDatabase(adminUrl = process.env.NYX_TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  if (!adminUrl) throw new Error('NYX_TEST_DB=postgres needs NYX_TEST_DATABASE_URL (see docs/ci.md)');
  const name = `nyx_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface TestNyxOptions {
  /** Collects every log line here instead of stdout (raise `logLevel` to see more). */
  logLines?: string[];
}

export async function startTestNyx(overrides: Partial<NyxConfig> = {}, options: TestNyxOptions = {}): Promise<TestNyx> {
  const home = await mkdtemp(join(tmpdir(), 'nyx-test-'));
  const scratch = TEST_DB === 'postgres' && overrides.databaseUrl === undefined ? await createScratchDatabase() : null;
  const config = loadConfig(
    {},
    { home, port: 0, logLevel: process.env.NYX_TEST_LOG ?? 'silent', databaseUrl: scratch?.url ?? null, ...overrides },
  );
  const logLines = options.logLines;
  const nyx = await startNyx(config, createLogger(config.logLevel, logLines && { write: (line: string) => void logLines.push(line) }));
  return {
    ...nyx,
    home,
    databaseUrl: nyx.database.url,
    async close() {
      await nyx.close();
      await scratch?.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

let shared: Promise<TestNyx> | null = null;

/** One instance shared by the suites that need nothing special; closed by the root hook. */
export function sharedNyx(): Promise<TestNyx> {
  shared ??= startTestNyx();
  return shared;
}

export async function closeSharedNyx(): Promise<void> {
  if (shared) await (await shared).close();
  shared = null;
}

export interface TestTenant {
  tenantId: string;
  userId: string;
  token: string;
}

export async function createTestTenant(nyx: RunningNyx, label = 'team'): Promise<TestTenant> {
  const orm = nyx.database.orm;
  const tenant = await createTenant(orm, `${label}-${randomBytes(4).toString('hex')}`);
  const user = await createUser(orm, tenant.id, `${label}-${randomBytes(4).toString('hex')}@example.test`);
  const issued = await createToken(orm, user.id, 'test');
  return { tenantId: tenant.id, userId: user.id, token: issued.token };
}

/** A second person in an existing tenant. */
export async function createTeammate(nyx: RunningNyx, tenantId: string): Promise<TestTenant> {
  const orm = nyx.database.orm;
  const user = await createUser(orm, tenantId, `mate-${randomBytes(4).toString('hex')}@example.test`);
  const issued = await createToken(orm, user.id, 'test');
  return { tenantId, userId: user.id, token: issued.token };
}
