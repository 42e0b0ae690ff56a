import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { collectRunStream, createProject, getRun, seqs, startSelftest, waitFor, waitForFinalRun } from './helpers.ts';
import type { RunEventMessage } from '#protocol/events.ts';

describe('runs: API, runner and the run event stream', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;

  before(async () => {
    nyx = await startTestNyx({ runLeaseMs: 3_000, sseKeepAliveMs: 200 });
    alice = await createTestTenant(nyx, 'runs');
    projectId = await createProject(nyx.url, alice);
  });
  after(() => nyx?.close());

  it('executes a selftest run and streams every event in order, ending with done', async () => {
    const run = await startSelftest(nyx.url, alice, projectId, { events: 5, seconds: 0.3 });
    assert.equal(run.status, 'pending');
    assert.equal(run.deduplicated, false);
    const { messages, end } = await collectRunStream(nyx.url, alice, run.id);
    assert.equal(end.reason, 'done');
    const ids = seqs(messages);
    assert.deepEqual(ids, ids.map((_, i) => i + 1), 'seq 1..n, no gap, no repeat');
    const ticks = messages.filter((m) => m.event === 'selftest.tick').map((m) => (JSON.parse(m.data) as RunEventMessage).data as { i: number });
    assert.deepEqual(ticks.map((t) => t.i), [1, 2, 3, 4, 5]);
    assert.equal(messages[0].event, 'status');
    const done = JSON.parse(messages.at(-1)!.data) as RunEventMessage;
    assert.equal(done.type, 'done');
    assert.deepEqual(done.data, { status: 'succeeded', result: { events: 5 }, error: null });
    const finished = await getRun(nyx.url, alice, run.id);
    assert.equal(finished.status, 'succeeded');
    assert.equal(finished.progress, 1);
    assert.equal(finished.lastSeq, done.seq);
  });

  it('replays a finished run from any cursor and ends with done', async () => {
    const run = await startSelftest(nyx.url, alice, projectId, { events: 3, seconds: 0 });
    const finished = await waitForFinalRun(nyx.url, alice, run.id);
    const fromMiddle = await collectRunStream(nyx.url, alice, run.id, '2');
    assert.deepEqual(seqs(fromMiddle.messages), Array.from({ length: finished.lastSeq - 2 }, (_, i) => i + 3));
    const pastTheEnd = await collectRunStream(nyx.url, alice, run.id, String(finished.lastSeq));
    assert.equal(pastTheEnd.end.reason, 'done');
    assert.deepEqual(pastTheEnd.messages.map((m) => m.event), ['done']);
    assert.equal(JSON.parse(pastTheEnd.messages[0].data).data.status, 'succeeded');
  });

  it('a failing handler ends the run failed with its message', async () => {
    const run = await startSelftest(nyx.url, alice, projectId, { events: 1, seconds: 0, failWith: 'boom on purpose' });
    const finished = await waitForFinalRun(nyx.url, alice, run.id);
    assert.equal(finished.status, 'failed');
    assert.equal(finished.error, 'boom on purpose');
  });

  it('rejects an unknown kind and invalid input with 400 naming the field, and a missing project with 404', async () => {
    const unknown = await api(nyx.url, 'POST', '/api/v1/runs', { token: alice.token, body: { kind: 'nope', projectId, input: {} } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'kind');
    const bad = await api(nyx.url, 'POST', '/api/v1/runs', { token: alice.token, body: { kind: 'selftest', projectId, input: { events: -1 } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'input.events');
    const noProject = await api(nyx.url, 'POST', '/api/v1/runs', { token: alice.token, body: { kind: 'selftest', projectId: '00000000-0000-4000-8000-000000000000', input: {} } });
    assert.equal(noProject.status, 404);
  });

  it('lists runs filtered by project, kind and status', async () => {
    const otherProject = await createProject(nyx.url, alice, 'other');
    const run = await startSelftest(nyx.url, alice, otherProject, { events: 1, seconds: 0 });
    await waitForFinalRun(nyx.url, alice, run.id);
    const byProject = await api(nyx.url, 'GET', `/api/v1/runs?projectId=${otherProject}`, { token: alice.token });
    assert.deepEqual(byProject.body.items.map((r: { id: string }) => r.id), [run.id]);
    const failed = await api(nyx.url, 'GET', `/api/v1/runs?status=failed&kind=selftest`, { token: alice.token });
    assert.ok(failed.body.items.length >= 1);
    assert.ok(failed.body.items.every((r: { status: string }) => r.status === 'failed'));
  });

  it('sends a retry hint and keep-alive comments on an idle stream, and drops the subscription when the client leaves', async () => {
    const response = await fetch(`${nyx.url}/api/v1/events`, { headers: { authorization: `Bearer ${alice.token}` } });
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    await waitFor('two keep-alive comments', async () => {
      text += (await reader.read()).value ?? '';
      return text.split(': keep-alive').length > 2;
    }, 5_000, 0);
    assert.match(text, /^retry: \d+\n\n/);
    assert.equal(nyx.runs.hub.subscriberCount(), 1);
    await reader.cancel();
    await waitFor('the subscription to end', async () => nyx.runs.hub.subscriberCount() === 0, 5_000);
  });
});
