/**
 * Live run events: publish-to-receive latency (p50/p99) and throughput for 1, 100 and 1,000 SSE
 * subscribers on one run, on the embedded database and (when NYX_BENCH_DATABASE_URL or
 * NYX_TEST_DATABASE_URL is set) a real PostgreSQL. Baseline measured in the same run: the same
 * number of clients polling the database every 3 s, as the system we learn from did.
 * Server and clients share this process (and its 2 cores), so latencies include client parsing.
 * Run: npm run bench:events   (NYX_BENCH_SUBSCRIBERS=1,100 for a quick run)
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.ts';
import { createLogger } from '../server/src/logger.ts';
import { startNyx, type RunningNyx } from '../server/src/main.ts';
import { createTenant, createToken, createUser } from '../server/src/modules/tenancy/service.ts';
import { createProject } from '../server/src/modules/projects/service.ts';
import { createRun } from '../server/src/modules/runs/service.ts';
import type { Authenticated } from '../server/src/modules/tenancy/service.ts';
import { openEventStream, type EventStream } from '../protocol/sse-client.ts';
import type { RunEventMessage } from '../protocol/events.ts';
import { isFinalRunStatus } from '../protocol/runs.ts';

const SUBSCRIBERS = (process.env.NYX_BENCH_SUBSCRIBERS ?? '1,100,1000').split(',').map(Number);
const PACED_EVENTS = 30;
const PACED_INTERVAL_MS = 100;
const BURST_EVENTS = 200;
const POLL_INTERVAL_MS = 3_000;
const POLL_EVENTS = 12;
const POLL_EVENT_INTERVAL_MS = 500;
const BENCH_KIND = 'bench.events';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tick {
  phase: 'paced' | 'burst';
  i: number;
  sentAt: number;
}

/** Runs wait here until their watchers are connected, so every sample is a live delivery. */
const gates = new Map<string, () => void>();

function registerBenchKind(nyx: RunningNyx): void {
  nyx.runs.registry.registerRunHandler(BENCH_KIND, async ({ run, emit }) => {
    const { gate, paced, intervalMs, burst } = run.input as { gate: string; paced: number; intervalMs: number; burst: number };
    await new Promise<void>((resolve) => gates.set(gate, resolve));
    for (let i = 0; i < paced; i++) {
      await sleep(intervalMs);
      await emit('bench.tick', { phase: 'paced', i, sentAt: now() } satisfies Tick);
    }
    for (let i = 0; i < burst; i++) await emit('bench.tick', { phase: 'burst', i, sentAt: now() } satisfies Tick);
    return null;
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startBenchRun(nyx: RunningNyx, auth: Authenticated, projectId: string, input: Record<string, unknown>): Promise<{ id: string; gate: string }> {
  const gate = randomUUID();
  const run = await createRun({ orm: nyx.database.orm, bus: nyx.runs.bus, registry: nyx.runs.registry }, auth, { kind: BENCH_KIND, projectId, input: { gate, ...input } });
  return { id: run.id, gate };
}

async function openGate(gate: string): Promise<void> {
  while (!gates.has(gate)) await sleep(10);
  gates.get(gate)!();
  gates.delete(gate);
}

async function waitForRun(nyx: RunningNyx, auth: Authenticated, runId: string): Promise<void> {
  for (;;) {
    const [run] = await nyx.runs.source.runsByIds(auth.tenantId, [runId]);
    if (run && isFinalRunStatus(run.status)) return;
    await sleep(50);
  }
}

interface SseResult {
  p50: number;
  p99: number;
  eventsPerSecond: number;
}

async function measureSse(nyx: RunningNyx, auth: Authenticated, token: string, projectId: string, subscribers: number): Promise<SseResult> {
  const run = await startBenchRun(nyx, auth, projectId, { paced: PACED_EVENTS, intervalMs: PACED_INTERVAL_MS, burst: BURST_EVENTS });
  const latencies: number[] = [];
  let burstFirstSent = Infinity;
  let burstLastReceived = 0;
  const streams: EventStream[] = [];
  for (let i = 0; i < subscribers; i++) {
    streams.push(
      openEventStream({
        url: `${nyx.url}/api/v1/runs/${run.id}/events`,
        headers: { authorization: `Bearer ${token}` },
        onMessage(message) {
          if (message.event !== 'bench.tick') return;
          const receivedAt = now();
          const tick = (JSON.parse(message.data) as RunEventMessage).data as Tick;
          if (tick.phase === 'paced') latencies.push(receivedAt - tick.sentAt);
          else {
            if (tick.i === 0) burstFirstSent = Math.min(burstFirstSent, tick.sentAt);
            if (tick.i === BURST_EVENTS - 1) burstLastReceived = Math.max(burstLastReceived, receivedAt);
          }
        },
      }),
    );
  }
  while (nyx.runs.hub.subscriberCount() < subscribers) await sleep(20);
  await openGate(run.gate);
  await Promise.all(streams.map((stream) => stream.ended));
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), eventsPerSecond: BURST_EVENTS / ((burstLastReceived - burstFirstSent) / 1000) };
}

/** The baseline: each client reads new events every 3 s (random phase), straight from the database. */
async function measurePolling(nyx: RunningNyx, auth: Authenticated, projectId: string, clients: number): Promise<{ p50: number; p99: number }> {
  const run = await startBenchRun(nyx, auth, projectId, { paced: POLL_EVENTS, intervalMs: POLL_EVENT_INTERVAL_MS, burst: 0 });
  const latencies: number[] = [];
  let finished = false;
  const poller = async () => {
    let cursor = 0;
    await sleep(Math.random() * POLL_INTERVAL_MS);
    while (!finished) {
      const events = await nyx.runs.source.runEventsAfter(auth.tenantId, run.id, cursor, 500);
      const receivedAt = now();
      for (const event of events) {
        cursor = event.seq;
        if (event.type === 'bench.tick') latencies.push(receivedAt - (event.data as Tick).sentAt);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  };
  const polling = Array.from({ length: clients }, poller);
  await openGate(run.gate);
  await waitForRun(nyx, auth, run.id);
  await sleep(POLL_INTERVAL_MS + 200); // every poller's next read picks up the last events
  finished = true;
  await Promise.all(polling);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function benchDatabase(label: string, databaseUrl: string | null): Promise<string[]> {
  const home = await mkdtemp(join(tmpdir(), 'nyx-bench-events-'));
  const config = loadConfig({}, { home, port: 0, logLevel: 'silent', databaseUrl, dbPoolSize: 20 });
  const nyx = await startNyx(config, createLogger('silent'));
  const rows: string[] = [];
  try {
    registerBenchKind(nyx);
    const orm = nyx.database.orm;
    const tenant = await createTenant(orm, 'bench');
    const user = await createUser(orm, tenant.id, 'bench@example.test');
    const issued = await createToken(orm, user.id, 'bench');
    const auth: Authenticated = { tenantId: tenant.id, userId: user.id, tokenId: issued.id };
    const project = await createProject(orm, auth, { name: 'bench', description: '', scanPath: '', settings: {} });
    for (const subscribers of SUBSCRIBERS) {
      const sse = await measureSse(nyx, auth, issued.token, project.id, subscribers);
      const polling = await measurePolling(nyx, auth, project.id, subscribers);
      const row = [label, subscribers, sse.p50.toFixed(1), sse.p99.toFixed(1), Math.round(sse.eventsPerSecond), polling.p50.toFixed(0), polling.p99.toFixed(0), `${(polling.p99 / sse.p99).toFixed(0)}x`];
      rows.push(`| ${row.join(' | ')} |`);
      console.error(`  ${label}, ${subscribers} subscribers done`);
    }
  } finally {
    await nyx.close();
    await rm(home, { recursive: true, force: true });
  }
  return rows;
}

const rows = await benchDatabase('embedded', null);
const postgresUrl = process.env.NYX_BENCH_DATABASE_URL ?? process.env.NYX_TEST_DATABASE_URL;
if (postgresUrl) {
  process.env.NYX_TEST_DATABASE_URL = postgresUrl;
  const { createScratchDatabase } = await import('../test/server/helpers/nyx.ts');
  const scratch = await createScratchDatabase();
  try {
    rows.push(...(await benchDatabase('postgres', scratch.url)));
  } finally {
    await scratch.drop();
  }
}
console.log('| database | subscribers | SSE p50 ms | SSE p99 ms | SSE events/s (burst, all received) | 3 s polling p50 ms | 3 s polling p99 ms | p99 polling / SSE |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exit(0);
