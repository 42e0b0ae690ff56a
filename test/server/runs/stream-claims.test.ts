// What docs/runs-and-events.md promises about the event streams, each tested on the running
// server (both databases): a slow client is cut off past 1 MiB of unsent data and resumes with
// Last-Event-ID; the tenant stream re-sends runs changed in the 5 s before its cursor; the cursor
// may come as `?lastEventId=` (for clients that cannot set headers), the header winning.
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { SseMessage } from '#protocol/sse-client.ts';
import { api } from '../helpers/http.ts';
import { openSubscribedStream, openTestEventStream } from '../helpers/event-stream.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { collectRunStream, createProject, getRun, seqs, startSelftest, waitFor, waitForFinalRun } from './helpers.ts';

/** A run kind of this file: waits for the test's go, then emits `count` events of `bytes` each. */
const BULK_KIND = 'stream-claims.bulk';
/** Opened by the test once its client is subscribed; made before the run starts, so no go is missed. */
let releaseBulk: () => void = () => undefined;
let bulkGo: Promise<void> = Promise.resolve();
function newBulkGate(): void {
  bulkGo = new Promise<void>((resolve) => (releaseBulk = resolve));
}

function registerBulkKind(nyx: TestNyx): void {
  if (nyx.runs.registry.has(BULK_KIND)) return;
  nyx.runs.registry.registerRunHandler(BULK_KIND, async ({ run, emit }) => {
    await bulkGo;
    const { count, bytes } = run.input as { count: number; bytes: number };
    for (let i = 1; i <= count; i++) await emit('bulk.chunk', { i, pad: 'x'.repeat(bytes) });
    return { count };
  });
}

/** An HTTP client that reads the response headers, then stops reading (a stalled consumer). */
function stalledClient(url: string, token: string): Promise<{ response: http.IncomingMessage; readRest(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent: false }, (response) => {
      response.pause();
      resolve({
        response,
        readRest: () =>
          new Promise((done) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            // A destroyed stream ends with 'aborted'/'error' or a plain end, depending on timing.
            response.on('close', () => done(Buffer.concat(chunks).toString('utf8')));
            response.on('error', () => undefined);
            response.resume();
          }),
      });
    });
    request.on('error', reject);
  });
}

describe('event streams: documented limits and cursors', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let projectId: string;

  before(async () => {
    nyx = await sharedNyx();
    registerBulkKind(nyx);
    team = await createTestTenant(nyx, 'stream-claims');
    projectId = await createProject(nyx.url, team, 'stream-claims');
  });

  it('cuts off a client that stops reading once 1 MiB is unsent; it resumes with Last-Event-ID and gets the rest', async function () {
    this.timeout(180_000); // 10 MiB of events through the database
    const count = 40;
    const bytes = 256 * 1024; // 10 MiB in all: more than the socket buffers plus the 1 MiB the server holds
    newBulkGate();
    const created = await api(nyx.url, 'POST', '/api/v1/runs', { token: team.token, body: { kind: BULK_KIND, projectId, input: { count, bytes, nonce: randomUUID() } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const runId: string = created.body.id;
    await waitFor('the bulk run to start', async () => (await getRun(nyx.url, team, runId)).status === 'running');

    const before = nyx.runs.hub.subscriberCount();
    const slow = await stalledClient(`${nyx.url}/api/v1/runs/${runId}/events`, team.token);
    let text: string;
    try {
      assert.equal(slow.response.statusCode, 200);
      await waitFor('the stalled client to be subscribed', async () => nyx.runs.hub.subscriberCount() > before);
      releaseBulk();
      // The server gives up on it while it still reads nothing: its subscription ends.
      await waitFor('the server to drop the stalled client', async () => nyx.runs.hub.subscriberCount() === before, 150_000);
      const final = await waitForFinalRun(nyx.url, team, runId, 150_000);
      assert.equal(final.status, 'succeeded', final.error ?? '');
      text = await slow.readRest();
    } finally {
      slow.response.destroy();
    }

    const received = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    assert.ok(!/^event: done$/m.test(text), 'the stalled client never got to the end of the run');
    assert.ok(received.length < count, `the stalled client received ${received.length} of ${count} chunks: it was not cut off`);

    const resumed = await collectRunStream(nyx.url, team, runId, received.length ? String(received.at(-1)) : undefined);
    assert.equal(resumed.end.reason, 'done');
    const all = await collectRunStream(nyx.url, team, runId);
    assert.deepEqual([...received, ...seqs(resumed.messages)], seqs(all.messages), 'cut-off part + resumed part = the whole stream, once each');
  });

  it('a run stream resumes from ?lastEventId= in the query; the Last-Event-ID header wins over it; a bad value is a 400 naming it', async () => {
    const run = await startSelftest(nyx.url, team, projectId, { events: 5, seconds: 0 });
    await waitForFinalRun(nyx.url, team, run.id);
    const all = seqs((await collectRunStream(nyx.url, team, run.id)).messages);
    const cursor = all[2]!;
    const byQuery: SseMessage[] = [];
    const queryStream = openTestEventStream({ url: `${nyx.url}/api/v1/runs/${run.id}/events?lastEventId=${cursor}`, headers: { authorization: `Bearer ${team.token}` }, initialDelayMs: 50, onMessage: (m) => byQuery.push(m) });
    assert.equal((await queryStream.ended).reason, 'done');
    assert.deepEqual(seqs(byQuery), all.filter((seq) => seq > cursor));

    const both: SseMessage[] = [];
    const headerCursor = all[4]!;
    const bothStream = openTestEventStream({
      url: `${nyx.url}/api/v1/runs/${run.id}/events?lastEventId=${cursor}`,
      headers: { authorization: `Bearer ${team.token}` },
      lastEventId: String(headerCursor),
      initialDelayMs: 50,
      onMessage: (m) => both.push(m),
    });
    assert.equal((await bothStream.ended).reason, 'done');
    assert.deepEqual(seqs(both), all.filter((seq) => seq > headerCursor), 'the header, not the query, is the cursor');

    for (const bad of ['abc', '-1', '1.5']) {
      const refused = await api(nyx.url, 'GET', `/api/v1/runs/${run.id}/events?lastEventId=${encodeURIComponent(bad)}`, { token: team.token });
      assert.equal(refused.status, 400, bad);
      assert.equal(refused.body.field, 'lastEventId', bad);
    }
  });

  it('the tenant stream re-sends runs changed in the 5 s before its cursor, and not those changed earlier', async () => {
    const mine = await createTestTenant(nyx, 'stream-overlap');
    const project = await createProject(nyx.url, mine, 'overlap');
    const run = await startSelftest(nyx.url, mine, project, { events: 1, seconds: 0 });
    const finished = await waitForFinalRun(nyx.url, mine, run.id);
    const changedAt = Date.parse(finished.updatedAt);
    const headers = { authorization: `Bearer ${mine.token}` };
    const ofRun = (messages: SseMessage[], id: string) => messages.filter((m) => JSON.parse(m.data).id === id);

    const subscribedBefore = nyx.runs.hub.subscriberCount();
    // Cursor 4 s after the change (inside the overlap), given in the query.
    const inside: SseMessage[] = [];
    const insideStream = openTestEventStream({ url: `${nyx.url}/api/v1/events?lastEventId=${changedAt + 4_000}`, headers, doneEvent: null, onMessage: (m) => inside.push(m) });
    const resent = await waitFor('the run changed 4 s before the cursor', async () => ofRun(inside, run.id)[0]);
    insideStream.close();
    await waitFor('the first tenant stream to end on the server', async () => nyx.runs.hub.subscriberCount() === subscribedBefore);
    assert.equal(resent.event, 'run.finished');
    assert.equal(Number(resent.id), changedAt, 'its id is the time it changed');

    // Cursor 6 s after the change (outside the overlap), as the header: not re-sent. The positive
    // signal that the replay is over: a run created afterwards arrives live, after any replay.
    const outside: SseMessage[] = [];
    const outsideStream = await openSubscribedStream(nyx, { url: `${nyx.url}/api/v1/events`, headers, lastEventId: String(changedAt + 6_000), doneEvent: null, onMessage: (m) => outside.push(m) });
    const later = await startSelftest(nyx.url, mine, project, { events: 1, seconds: 0 });
    await waitFor('the later run on the same stream', async () => ofRun(outside, later.id)[0]);
    outsideStream.close();
    await outsideStream.ended;
    assert.deepEqual(ofRun(outside, run.id), [], 'a run changed 6 s before the cursor is not re-sent');
  });
});
