import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { collectRunStream, createProject, getRun, startSelftest, waitFor, waitForFinalRun } from './helpers.ts';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openTestEventStream } from '../helpers/event-stream.ts';

describe('runs: dedup guard, cancel, orphan sweep and tenant isolation', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let bob: TestTenant;
  let projectId: string;

  before(async () => {
    // One slot, short leases and a short stuck limit, so the sweep acts within the test.
    nyx = await startTestNyx({ runConcurrency: 1, runLeaseMs: 1_500, runStuckMs: 2_000, runMaxAttempts: 2 });
    alice = await createTestTenant(nyx, 'life-a');
    bob = await createTestTenant(nyx, 'life-b');
    projectId = await createProject(nyx.url, alice);
  });
  after(() => nyx?.close());

  it('returns the active equal run instead of starting another, and again once it succeeded', async () => {
    const input = { events: 4, seconds: 0.4, nonce: randomUUID() };
    const first = await startSelftest(nyx.url, alice, projectId, input);
    const reordered = await api(nyx.url, 'POST', '/api/v1/runs', { token: alice.token, body: { kind: 'selftest', projectId, input: { nonce: input.nonce, seconds: 0.4, events: 4 } } });
    assert.equal(reordered.status, 200);
    assert.equal(reordered.body.id, first.id);
    assert.equal(reordered.body.deduplicated, true);
    await waitForFinalRun(nyx.url, alice, first.id);
    const afterSuccess = await startSelftest(nyx.url, alice, projectId, input);
    assert.equal(afterSuccess.id, first.id, 'a run that succeeded within 3 minutes is returned');
    const different = await startSelftest(nyx.url, alice, projectId, { ...input, events: 5 });
    assert.notEqual(different.id, first.id);
    assert.equal(different.deduplicated, false);
    await waitForFinalRun(nyx.url, alice, different.id);
  });

  it('a failed run does not block a retry with the same input', async () => {
    const input = { events: 1, seconds: 0, failWith: 'flaky', nonce: randomUUID() };
    const failed = await startSelftest(nyx.url, alice, projectId, input);
    assert.equal((await waitForFinalRun(nyx.url, alice, failed.id)).status, 'failed');
    const retry = await startSelftest(nyx.url, alice, projectId, input);
    assert.notEqual(retry.id, failed.id);
    await waitForFinalRun(nyx.url, alice, retry.id);
  });

  it('cancels a running run cooperatively: the handler stops and the stream ends with done cancelled', async () => {
    const run = await startSelftest(nyx.url, alice, projectId, { events: 200, seconds: 20 });
    await waitFor('the run to emit', async () => (await getRun(nyx.url, alice, run.id)).lastSeq >= 3);
    const streaming = collectRunStream(nyx.url, alice, run.id);
    const cancel = await api(nyx.url, 'POST', `/api/v1/runs/${run.id}/cancel`, { token: alice.token });
    assert.equal(cancel.status, 202);
    const { messages, end } = await streaming;
    assert.equal(end.reason, 'done');
    assert.equal(JSON.parse(messages.at(-1)!.data).data.status, 'cancelled');
    const finished = await getRun(nyx.url, alice, run.id);
    assert.equal(finished.status, 'cancelled');
    assert.equal(finished.cancelRequested, true);
    const ticks = messages.filter((m) => m.event === 'selftest.tick').length;
    assert.ok(ticks < 50, `the handler kept going after cancel: ${ticks} ticks`);
  });

  it('cancels a pending run at once', async () => {
    const blocker = await startSelftest(nyx.url, alice, projectId, { events: 100, seconds: 10 });
    await waitFor('the blocker to run', async () => (await getRun(nyx.url, alice, blocker.id)).status === 'running');
    const queued = await startSelftest(nyx.url, alice, projectId, { events: 1, seconds: 0 });
    assert.equal((await getRun(nyx.url, alice, queued.id)).status, 'pending');
    const cancel = await api(nyx.url, 'POST', `/api/v1/runs/${queued.id}/cancel`, { token: alice.token });
    assert.equal(cancel.status, 202);
    assert.equal(cancel.body.status, 'cancelled');
    const { messages } = await collectRunStream(nyx.url, alice, queued.id);
    assert.deepEqual(messages.map((m) => m.event), ['done']);
    await api(nyx.url, 'POST', `/api/v1/runs/${blocker.id}/cancel`, { token: alice.token });
    await waitForFinalRun(nyx.url, alice, blocker.id);
  });

  it('sweeps orphans: a silent run past the stuck limit, and one whose lease expired on its last attempt', async () => {
    const em = nyx.database.orm.em.fork();
    const silent = randomUUID();
    const exhausted = randomUUID();
    const insert = `insert into runs (id, tenant_id, project_id, kind, input_hash, status, attempts, lease_owner, lease_expires_at, heartbeat_at, created_at, updated_at, started_at)
                    values (?, ?, ?, 'selftest', ?, 'running', ?, 'ghost:1:dead', now() + make_interval(secs => ?), now() - interval '1 hour', now(), now(), now())`;
    await em.execute(insert, [silent, alice.tenantId, projectId, randomUUID().replaceAll('-', ''), 1, 3_600]);
    await em.execute(insert.replace(`now() - interval '1 hour'`, 'now()'), [exhausted, alice.tenantId, projectId, randomUUID().replaceAll('-', ''), 2, -1]);
    const swept = await waitForFinalRun(nyx.url, alice, silent, 10_000);
    assert.equal(swept.status, 'failed');
    assert.match(swept.error!, /No heartbeat for more than 2 s/);
    const gaveUp = await waitForFinalRun(nyx.url, alice, exhausted, 10_000);
    assert.equal(gaveUp.status, 'failed');
    assert.match(gaveUp.error!, /lease expired\) on each of 2 attempts/);
    const { messages } = await collectRunStream(nyx.url, alice, silent);
    assert.equal(JSON.parse(messages.at(-1)!.data).data.status, 'failed');
  });

  it("hides another tenant's run: 404 on get, cancel and its event stream; absent from lists and the tenant stream", async () => {
    const bobEvents: SseMessage[] = [];
    const bobStream = openTestEventStream({ url: `${nyx.url}/api/v1/events`, headers: { authorization: `Bearer ${bob.token}` }, doneEvent: null, onMessage: (m) => bobEvents.push(m) });
    const aliceEvents: SseMessage[] = [];
    const aliceStream = openTestEventStream({ url: `${nyx.url}/api/v1/events`, headers: { authorization: `Bearer ${alice.token}` }, doneEvent: null, onMessage: (m) => aliceEvents.push(m) });
    await waitFor('both tenant streams to subscribe', async () => nyx.runs.hub.subscriberCount() === 2);
    const run = await startSelftest(nyx.url, alice, projectId, { events: 2, seconds: 0.2 });
    for (const [method, path] of [['GET', `/api/v1/runs/${run.id}`], ['POST', `/api/v1/runs/${run.id}/cancel`], ['GET', `/api/v1/runs/${run.id}/events`]]) {
      const response = await api(nyx.url, method, path, { token: bob.token });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.code, 'not_found');
    }
    const stream = openTestEventStream({ url: `${nyx.url}/api/v1/runs/${run.id}/events`, headers: { authorization: `Bearer ${bob.token}` }, onMessage: () => assert.fail('bob received an event') });
    const end = await stream.ended;
    assert.equal(end.reason, 'rejected');
    assert.equal(end.reason === 'rejected' && end.status, 404);
    const list = await api(nyx.url, 'GET', '/api/v1/runs', { token: bob.token });
    assert.deepEqual(list.body.items, []);
    await waitForFinalRun(nyx.url, alice, run.id);
    await waitFor('alice to hear the run finish', async () => aliceEvents.some((m) => m.event === 'run.finished' && JSON.parse(m.data).id === run.id));
    assert.equal(aliceEvents.find((m) => JSON.parse(m.data).id === run.id)?.event, 'run.created');
    assert.ok(aliceEvents.every((m) => m.id && Number(m.id) > 0), 'every tenant event has an id');
    assert.deepEqual(bobEvents, []);
    bobStream.close();
    aliceStream.close();
    await waitFor('the tenant subscriptions to end', async () => nyx.runs.hub.subscriberCount() === 0);
  });
});
