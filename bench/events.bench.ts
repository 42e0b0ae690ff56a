/**
 * Live run events: publish-to-receive latency (p50/p99) and throughput for 1, 100 and 1,000 SSE
 * subscribers on one run, on the embedded database and (when NYX_BENCH_DATABASE_URL or
 * NYX_TEST_DATABASE_URL is set) a real PostgreSQL. Baseline measured in the same run: the same
 * number of clients polling the database every 3 s, as the system we learn from did.
 *
 * The server runs in this process; the subscribers are spread over NYX_BENCH_WORKERS client
 * processes (bench/events-subscribers.ts, plain node:http keep-alive connections), so the server's
 * event loop serves streams and nothing else. Latency = receive time in a client minus the time
 * the handler called `emit` (database commit included), over every (subscriber, paced event) pair,
 * after a few warm-up events.
 *
 * Each measurement runs NYX_BENCH_RUNS times (bench/measure.ts); p50, p99 and p99.9 are over the
 * samples of all runs together, with the median (min–max) of the per-run p99 beside them. Any lost
 * or duplicated event, or a stream that ended before the run's `done`, stops the bench with a
 * non-zero exit: the docs promise every subscriber every event once.
 *
 * Run: npm run bench:events. Knobs (env): NYX_BENCH_RUNS=5  NYX_BENCH_SUBSCRIBERS=1,100,1000
 * NYX_BENCH_WORKERS=4  NYX_BENCH_WARMUP=5  NYX_BENCH_PACED=30  NYX_BENCH_INTERVAL_MS=100
 * NYX_BENCH_BURST=100  NYX_BENCH_POLL_EVENTS=8  NYX_BENCH_EMBEDDED=0 (skip the embedded database).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#server/config.ts';
import { createLogger } from '#server/logger.ts';
import { startNyx, type RunningNyx } from '#server/main.ts';
import { createTenant, createToken, createUser } from '#server/modules/tenancy/service.ts';
import { createProject } from '#server/modules/projects/service.ts';
import { createRun } from '#server/modules/runs/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { SubscriberReport } from './events-subscribers.ts';
import { describeTarget, formatSpread, percentile, printHeader, repeat, RUNS, spreadOf, Table, verdict, type Target } from './measure.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SUBSCRIBERS = (process.env.NYX_BENCH_SUBSCRIBERS ?? '1,100,1000').split(',').map(Number);
const WORKERS = env('NYX_BENCH_WORKERS', 4);
const WARMUP_EVENTS = env('NYX_BENCH_WARMUP', 5);
const PACED_EVENTS = env('NYX_BENCH_PACED', 30);
const PACED_INTERVAL_MS = env('NYX_BENCH_INTERVAL_MS', 100);
const BURST_EVENTS = env('NYX_BENCH_BURST', 100);
const POLL_INTERVAL_MS = 3_000;
const POLL_EVENTS = env('NYX_BENCH_POLL_EVENTS', 8);
const POLL_EVENT_INTERVAL_MS = 500;
const BENCH_KIND = 'bench.events';
const SUBSCRIBER_SCRIPT = new URL('./events-subscribers.ts', import.meta.url).pathname;
/** A measurement that takes longer than this has hung (a lost stream): fail loudly instead of waiting. */
const MEASUREMENT_TIMEOUT_MS = 120_000;
/** docs/runs-and-events.md: p99 publish-to-receive under 50 ms at 1,000 subscribers. */
const TARGET: Target = { atMost: 50 };
const TARGET_SUBSCRIBERS = 1000;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tick {
  phase: 'warmup' | 'paced' | 'burst';
  i: number;
  sentAt: number;
}

/** Runs wait here until their watchers are connected, so every sample is a live delivery. */
const gates = new Map<string, () => void>();

function registerBenchKind(nyx: RunningNyx): void {
  nyx.runs.registry.registerRunHandler(BENCH_KIND, async ({ run, emit }) => {
    const { gate, warmup, paced, intervalMs, burst } = run.input as { gate: string; warmup: number; paced: number; intervalMs: number; burst: number };
    await new Promise<void>((resolve) => gates.set(gate, resolve));
    const tick = (phase: Tick['phase'], i: number) => emit('bench.tick', { phase, i, sentAt: now() } satisfies Tick);
    for (let i = 0; i < warmup; i++) {
      await sleep(intervalMs);
      await tick('warmup', i);
    }
    for (let i = 0; i < paced; i++) {
      await sleep(intervalMs);
      await tick('paced', i);
    }
    for (let i = 0; i < burst; i++) await tick('burst', i);
    return null;
  });
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
  /** Sorted latencies of this run, ms. */
  latencies: number[];
  eventsPerSecond: number;
}

/** Lost, duplicated or cut-short streams are a failure of the server, never a footnote. */
class LostEventsError extends Error {}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${MEASUREMENT_TIMEOUT_MS} ms`)), MEASUREMENT_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Forks the client processes, `subscribers` streams spread evenly over them. */
function forkSubscribers(url: string, token: string, subscribers: number): { children: ChildProcess[]; connected: Promise<unknown>; reports: Promise<SubscriberReport[]> } {
  const workers = Math.max(1, Math.min(WORKERS, subscribers));
  const children: ChildProcess[] = [];
  const connected: Promise<unknown>[] = [];
  const reports: Promise<SubscriberReport>[] = [];
  for (let w = 0; w < workers; w++) {
    const count = Math.floor(subscribers / workers) + (w < subscribers % workers ? 1 : 0);
    const child = fork(SUBSCRIBER_SCRIPT, [url, token, String(count), String(BURST_EVENTS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    children.push(child);
    const messages = (type: string) =>
      new Promise<any>((resolve, reject) => {
        child.on('message', (message: { type: string }) => message.type === type && resolve(message));
        child.on('exit', (code) => reject(new Error(`subscriber process exited (${code}) before sending ${type}`)));
      });
    connected.push(messages('connected'));
    reports.push(messages('result'));
  }
  return { children, connected: Promise.all(connected), reports: Promise.all(reports) };
}

async function measureSse(nyx: RunningNyx, auth: Authenticated, token: string, projectId: string, subscribers: number): Promise<SseResult> {
  const run = await startBenchRun(nyx, auth, projectId, { warmup: WARMUP_EVENTS, paced: PACED_EVENTS, intervalMs: PACED_INTERVAL_MS, burst: BURST_EVENTS });
  const clients = forkSubscribers(`${nyx.url}/api/v1/runs/${run.id}/events`, token, subscribers);
  try {
    await withTimeout(clients.connected, 'connecting the subscribers');
    while (nyx.runs.hub.subscriberCount() < subscribers) await sleep(20);
    await openGate(run.gate);
    const reports = await withTimeout(clients.reports, 'streaming the run');
    const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
    const ticks = reports.reduce((sum, report) => sum + report.ticks, 0);
    const failures = reports.reduce((sum, report) => sum + report.failures, 0);
    const duplicates = reports.reduce((sum, report) => sum + report.duplicates, 0);
    const expected = subscribers * (WARMUP_EVENTS + PACED_EVENTS + BURST_EVENTS);
    if (ticks !== expected || failures > 0 || duplicates > 0) {
      throw new LostEventsError(`${subscribers} subscribers: ${ticks} of ${expected} ticks received, ${duplicates} duplicated, ${failures} streams failed or ended before done`);
    }
    if (latencies.length !== subscribers * PACED_EVENTS) throw new LostEventsError(`${latencies.length} paced samples, expected ${subscribers * PACED_EVENTS}`);
    const burstFirstSent = Math.min(...reports.map((report) => report.burstFirstSent));
    const burstLastReceived = Math.max(...reports.map((report) => report.burstLastReceived));
    return { latencies, eventsPerSecond: BURST_EVENTS / ((burstLastReceived - burstFirstSent) / 1000) };
  } finally {
    for (const child of clients.children) if (child.exitCode === null) child.kill();
    await Promise.all(clients.children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : null)));
  }
}

/** The baseline: each client reads new events every 3 s (random phase), straight from the database. */
async function measurePolling(nyx: RunningNyx, auth: Authenticated, projectId: string, clients: number): Promise<number[]> {
  const run = await startBenchRun(nyx, auth, projectId, { warmup: 0, paced: POLL_EVENTS, intervalMs: POLL_EVENT_INTERVAL_MS, burst: 0 });
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
        if (event.type === 'bench.tick' && (event.data as Tick).phase === 'paced') latencies.push(receivedAt - (event.data as Tick).sentAt);
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
  return latencies;
}

const table = new Table([
  'database', 'subscribers', 'runs', 'samples', 'SSE p50 ms', 'SSE p99 ms', 'SSE p99.9 ms', 'per-run p99 ms: median (min–max)',
  'SSE events/s (burst): median (min–max)', '3 s polling p50 ms', '3 s polling p99 ms', 'p99 polling / SSE', `target p99 ${describeTarget(TARGET, ' ms')} at ${TARGET_SUBSCRIBERS}`,
]);

async function benchDatabase(label: string, databaseUrl: string | null): Promise<void> {
  const home = await mkdtemp(join(tmpdir(), 'nyx-bench-events-'));
  const config = loadConfig({}, { home, port: 0, logLevel: 'silent', databaseUrl, dbPoolSize: 20 });
  const nyx = await startNyx(config, createLogger('silent'));
  try {
    registerBenchKind(nyx);
    const orm = nyx.database.orm;
    const tenant = await createTenant(orm, 'bench');
    const user = await createUser(orm, tenant.id, 'bench@example.test');
    const issued = await createToken(orm, user.id, 'bench');
    const auth: Authenticated = { tenantId: tenant.id, userId: user.id, tokenId: issued.id, role: 'owner', userRole: 'owner', scope: 'admin', expiresAt: null };
    const project = await createProject(orm, auth, { name: 'bench', description: '', scanPath: '', settings: {} });
    for (const subscribers of SUBSCRIBERS) {
      const sse = await repeat(() => measureSse(nyx, auth, issued.token, project.id, subscribers));
      const polling = (await repeat(() => measurePolling(nyx, auth, project.id, subscribers))).flat().sort((a, b) => a - b);
      const all = sse.flatMap((run) => run.latencies).sort((a, b) => a - b);
      const p99 = percentile(all, 99);
      const judged = subscribers === TARGET_SUBSCRIBERS ? `${verdict(p99, TARGET)} (${p99.toFixed(1)} ms)` : '—';
      table.add([
        label, subscribers, sse.length, all.length, percentile(all, 50).toFixed(1), p99.toFixed(1), percentile(all, 99.9).toFixed(1),
        formatSpread(spreadOf(sse.map((run) => percentile(run.latencies, 99)))), formatSpread(spreadOf(sse.map((run) => run.eventsPerSecond)), 0),
        percentile(polling, 50).toFixed(0), percentile(polling, 99).toFixed(0), `${(percentile(polling, 99) / p99).toFixed(0)}x`, judged,
      ]);
    }
  } finally {
    await nyx.close();
    await rm(home, { recursive: true, force: true });
  }
}

printHeader('bench:events', { NYX_BENCH_SUBSCRIBERS: SUBSCRIBERS.join(','), NYX_BENCH_WORKERS: WORKERS, NYX_BENCH_PACED: PACED_EVENTS, NYX_BENCH_BURST: BURST_EVENTS });
try {
  if (process.env.NYX_BENCH_EMBEDDED !== '0') await benchDatabase('embedded', null);
  const postgresUrl = process.env.NYX_BENCH_DATABASE_URL ?? process.env.NYX_TEST_DATABASE_URL;
  if (postgresUrl) {
    process.env.NYX_TEST_DATABASE_URL = postgresUrl;
    const { createScratchDatabase } = await import('../test/server/helpers/nyx.ts');
    const scratch = await createScratchDatabase();
    try {
      await benchDatabase('postgres', scratch.url);
    } finally {
      await scratch.drop();
    }
  }
} catch (error) {
  table.print();
  console.error(`\nbench:events FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
table.print();
console.log(`\n${RUNS} run(s) per row; load average now: ${(await import('./measure.ts')).loadAverage()}`);
process.exit(0);
