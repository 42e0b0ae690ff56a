import assert from 'node:assert/strict';
import { createTestTenant, startTestNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { collectRunStream, createProject, seqs, startSelftest, waitForFinalRun } from './helpers.ts';

describe('runs: two nyx-server instances on one real PostgreSQL', () => {
  let a: TestNyx;
  let b: TestNyx;
  let alice: TestTenant;
  let projectId: string;

  before(async function () {
    if (TEST_DB !== 'postgres') {
      this.skip(); // LISTEN/NOTIFY between instances needs a real PostgreSQL: run with NYX_TEST_DB=postgres NYX_TEST_DATABASE_URL=...
    }
    a = await startTestNyx({ runLeaseMs: 3_000 });
    b = await startTestNyx({ runLeaseMs: 3_000, databaseUrl: a.databaseUrl });
    alice = await createTestTenant(a, 'two');
    projectId = await createProject(a.url, alice);
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('executes each run once, and SSE clients on both instances see every event', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => startSelftest(a.url, alice, projectId, { events: 15, seconds: 1.5 })));
    const streams = await Promise.all(runs.flatMap((run) => [collectRunStream(a.url, alice, run.id), collectRunStream(b.url, alice, run.id)]));
    for (const [i, run] of runs.entries()) {
      const onA = streams[2 * i];
      const onB = streams[2 * i + 1];
      assert.equal(onA.end.reason, 'done');
      assert.equal(onB.end.reason, 'done');
      assert.deepEqual(onB.messages, onA.messages, 'both instances streamed the same events');
      const ids = seqs(onA.messages);
      assert.deepEqual(ids, ids.map((_, k) => k + 1));
      assert.equal(onA.messages.filter((m) => m.event === 'status').length, 1, 'claimed exactly once');
      assert.equal(onA.messages.filter((m) => m.event === 'selftest.tick').length, 15, 'executed exactly once');
      const finished = await waitForFinalRun(b.url, alice, run.id);
      assert.equal(finished.attempts, 1);
    }
  });
});
