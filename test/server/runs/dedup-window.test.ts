// The dedup guard's window (docs/runs-and-events.md: an equal request within 3 minutes of a
// succeeded run returns that run). The run's finished_at is moved back in the database, which is
// the clock the guard reads: the window is tested at its edges without waiting 3 minutes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DEDUP_WINDOW_MS } from '#server/modules/runs/service.ts';
import { sql } from '../ai-api/helpers.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, waitForFinalRun } from './helpers.ts';

describe('runs: the dedup window', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let projectId: string;

  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'dedup-window');
    projectId = await createProject(nyx.url, team, 'dedup-window');
  });

  const start = (nonce: string) => api(nyx.url, 'POST', '/api/v1/runs', { token: team.token, body: { kind: 'selftest', projectId, input: { events: 1, seconds: 0, nonce } } });
  const finishedAgo = (runId: string, ms: number) => sql(nyx, `update runs set finished_at = now() - (? * interval '1 millisecond') where id = ?`, [ms, runId]);

  it('returns the succeeded run for an equal request until 3 minutes after it finished, then starts a new one', async () => {
    assert.equal(DEDUP_WINDOW_MS, 3 * 60_000, 'the documented window');
    const nonce = randomUUID();
    const first = await start(nonce);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal((await waitForFinalRun(nyx.url, team, first.body.id)).status, 'succeeded');

    const again = await start(nonce);
    assert.equal(again.status, 200);
    assert.deepEqual([again.body.id, again.body.deduplicated], [first.body.id, true]);

    await finishedAgo(first.body.id, DEDUP_WINDOW_MS - 10_000);
    const nearEdge = await start(nonce);
    assert.equal(nearEdge.status, 200, '10 s inside the window: still the same run');
    assert.equal(nearEdge.body.id, first.body.id);

    await finishedAgo(first.body.id, DEDUP_WINDOW_MS + 1_000);
    const expired = await start(nonce);
    assert.equal(expired.status, 201, `1 s past the window: a new run (${JSON.stringify(expired.body)})`);
    assert.notEqual(expired.body.id, first.body.id);
    assert.equal(expired.body.deduplicated, false);
    await waitForFinalRun(nyx.url, team, expired.body.id);
  });
});
