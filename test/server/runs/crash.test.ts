import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from '../helpers/http.ts';
import { createScratchDatabase, TEST_DB, type TestTenant } from '../helpers/nyx.ts';
import { loadConfig } from '#server/config.ts';
import { createLogger } from '#server/logger.ts';
import { openDatabase } from '#server/main.ts';
import { createTenant, createToken, createUser } from '#server/modules/tenancy/service.ts';
import type { LocalCredentials } from '#server/main.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import { collectRunStream, createProject, getRun, startSelftest, waitFor, waitForFinalRun } from './helpers.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const LEASE_MS = 2_000;

/** A tenant and token on a real PostgreSQL, made through the same services the CLI uses. */
async function tenantOn(databaseUrl: string): Promise<TestTenant> {
  const database = await openDatabase(loadConfig({}, { databaseUrl, home: tmpdir() }), createLogger('silent'), { migrate: false });
  try {
    const tenant = await createTenant(database.orm, 'crash');
    const user = await createUser(database.orm, tenant.id, 'crash@example.test');
    const issued = await createToken(database.orm, user.id, 'crash test');
    return { tenantId: tenant.id, userId: user.id, token: issued.token };
  } finally {
    await database.close();
  }
}

describe('runs: a nyx-server killed with SIGKILL mid-run', () => {
  const processes: ServerProcess[] = [];
  let home: string;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'nyx-crash-'));
    if (TEST_DB === 'postgres') scratch = await createScratchDatabase();
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await scratch?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('has its run claimed again within the lease and finished; no row is left running', async function () {
    this.timeout(120_000);
    const env: Record<string, string> = { NYX_HOME: home, NYX_RUN_LEASE_MS: String(LEASE_MS) };
    if (scratch) env.DATABASE_URL = scratch.url;
    const first = await startServerProcess(env);
    processes.push(first);
    const who: TestTenant = scratch
      ? await tenantOn(scratch.url)
      : await readFile(join(home, 'credentials.json'), 'utf8').then((text) => JSON.parse(text) as LocalCredentials);
    const projectId = await createProject(first.url, who);
    const run = await startSelftest(first.url, who, projectId, { events: 20, seconds: scratch ? 12 : 4 });
    await waitFor('the run to be under way', async () => (await getRun(first.url, who, run.id)).lastSeq >= 3, 20_000);

    // Embedded: the same NYX_HOME is reopened by a new process. PostgreSQL: a second instance, already up, takes over.
    const second = scratch ? await startServerProcess(env) : null;
    if (second) processes.push(second);
    first.child.kill('SIGKILL');
    await first.exited;
    if (second) assert.equal((await getRun(second.url, who, run.id)).status, 'running', 'the run ended before the kill: make it longer');
    const killedAt = Date.now();
    const survivor = second ?? (await startServerProcess(env));
    if (!second) processes.push(survivor);
    const readyAt = Date.now();

    const finished = await waitForFinalRun(survivor.url, who, run.id, 30_000);
    assert.equal(finished.status, 'succeeded', `ended ${finished.status}: ${finished.error}`);
    assert.equal(finished.attempts, 2);
    const { messages } = await collectRunStream(survivor.url, who, run.id);
    const reclaim = messages.map((m) => JSON.parse(m.data) as RunEventMessage).find((e) => e.type === 'status' && (e.data as { attempt: number }).attempt === 2);
    assert.ok(reclaim, 'no status event for the second attempt');
    // Claimed again within one lease (plus a runner tick) of the survivor being up and the old lease running out.
    const reclaimedAfterMs = Date.parse(reclaim.createdAt) - Math.max(readyAt, killedAt);
    assert.ok(reclaimedAfterMs <= LEASE_MS + 1_500, `re-claimed ${reclaimedAfterMs} ms after the survivor was up`);
    const running = await api(survivor.url, 'GET', '/api/v1/runs?status=running', { token: who.token });
    assert.deepEqual(running.body.items, []);
  });
});
