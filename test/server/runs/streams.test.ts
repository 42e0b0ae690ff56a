import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, seqs, startSelftest, waitFor } from './helpers.ts';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openTestEventStream } from '../helpers/event-stream.ts';

/**
 * A fetch whose connection can be cut from outside, like a flaky network. Cuts are made by count
 * of events received, not by time: on a loaded machine a timed cut may come after the run is over.
 */
function cuttableFetch(): { fetch: typeof fetch; connections: () => number; cut: () => void } {
  let connections = 0;
  let current: AbortController | undefined;
  return {
    connections: () => connections,
    cut: () => current?.abort(new Error('network blip')),
    fetch: async (input, init) => {
      connections++;
      const controller = new AbortController();
      current = controller;
      init?.signal?.addEventListener('abort', () => controller.abort(), { once: true });
      return fetch(input, { ...init, signal: controller.signal });
    },
  };
}

describe('runs: event streams under reconnects and load', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;

  before(async () => {
    nyx = await startTestNyx({ runLeaseMs: 5_000 });
    alice = await createTestTenant(nyx, 'streams');
    projectId = await createProject(nyx.url, alice);
  });
  after(() => nyx?.close());

  it('a client cut off several times mid-run ends with every event exactly once, in order', async () => {
    const run = await startSelftest(nyx.url, alice, projectId, { events: 40, seconds: 3 });
    const network = cuttableFetch();
    const messages: SseMessage[] = [];
    const stream = openTestEventStream({
      url: `${nyx.url}/api/v1/runs/${run.id}/events`,
      headers: { authorization: `Bearer ${alice.token}` },
      initialDelayMs: 20,
      maxDelayMs: 100,
      fetch: network.fetch,
      onMessage: (message) => {
        messages.push(message);
        // Every 8th event the connection drops, right after the client has taken it in.
        if (messages.length % 8 === 0) network.cut();
      },
    });
    const end = await stream.ended;
    assert.equal(end.reason, 'done');
    assert.ok(network.connections() >= 5, `expected a reconnect after every 8 events, got ${network.connections()} connections for ${messages.length} events`);
    const ids = seqs(messages);
    assert.deepEqual(ids, ids.map((_, i) => i + 1), 'every seq once, in order');
    assert.equal(messages.filter((m) => m.event === 'selftest.tick').length, 40);
    assert.equal(messages.at(-1)!.event, 'done');
  });

  it('500 concurrent clients on one run, half destroyed mid-stream: the server stays up and every subscription ends', async function () {
    this.timeout(90_000);
    // Long enough that every client joins while it runs; it is cancelled once half the clients are gone.
    const run = await startSelftest(nyx.url, alice, projectId, { events: 600, seconds: 60 });
    const clients: { req: ClientRequest; text: string; status: number; ended: Promise<void> }[] = [];
    const url = new URL(`/api/v1/runs/${run.id}/events`, nyx.url);
    for (let i = 0; i < 500; i++) {
      const req = request(url, { headers: { authorization: `Bearer ${alice.token}`, accept: 'text/event-stream' } });
      const client = { req, text: '', status: 0, ended: Promise.resolve() };
      client.ended = new Promise<void>((resolve) => {
        req.on('response', (res) => {
          client.status = res.statusCode ?? 0;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (client.text += chunk));
          res.on('end', resolve);
          res.on('error', () => resolve());
          res.on('close', resolve);
        });
        req.on('error', () => resolve());
      });
      req.end();
      clients.push(client);
    }
    await waitFor('all 500 clients to get an answer', async () => clients.every((client) => client.status > 0), 30_000, 100);
    assert.deepEqual(clients.filter((client) => client.status !== 200).map((client) => client.text), []);
    await waitFor('all 500 clients to subscribe', async () => nyx.runs.hub.subscriberCount() === 500, 30_000, 100);
    await waitFor('events to flow', async () => clients[0].text.includes('selftest.tick'), 10_000);
    const destroyed = clients.filter((_, i) => i % 2 === 0);
    for (const client of destroyed) client.req.destroy();
    const health = await api(nyx.url, 'GET', '/api/health');
    assert.equal(health.status, 200);
    const cancel = await api(nyx.url, 'POST', `/api/v1/runs/${run.id}/cancel`, { token: alice.token });
    assert.equal(cancel.status, 202);
    const survivors = clients.filter((_, i) => i % 2 === 1);
    await Promise.all(survivors.map((client) => client.ended));
    for (const client of survivors) {
      assert.match(client.text, /event: done\n/, 'a surviving client missed done');
      const ids = [...client.text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
      assert.deepEqual(ids, ids.map((_, k) => k + 1), 'a surviving client saw a gap or a repeat');
    }
    await waitFor('the subscription count to return to zero', async () => nyx.runs.hub.subscriberCount() === 0, 10_000);
    assert.equal((await api(nyx.url, 'GET', '/api/health')).status, 200);
  });
});
