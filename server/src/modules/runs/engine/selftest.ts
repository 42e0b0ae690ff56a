import { z } from 'zod';
import type { RunHandler, RunRegistry } from './registry.ts';

export const SELFTEST_KIND = 'selftest';

export const SelftestInput = z.strictObject({
  /** How many `selftest.tick` events to emit. */
  events: z.number().int().min(0).max(100_000).default(10),
  /** Spread them evenly over this many seconds (0: as fast as the database takes them). */
  seconds: z.number().min(0).max(3_600).default(1),
  /** Fail with this message after the last event, to exercise the failure path. */
  failWith: z.string().max(500).optional(),
  /** Distinguishes otherwise equal inputs, so a test or bench can opt out of the dedup guard. */
  nonce: z.string().max(100).optional(),
});

/** Data of each `selftest.tick`: `sentAt` (epoch ms, sub-ms precision) lets a watcher measure latency. */
export interface SelftestTick {
  i: number;
  of: number;
  sentAt: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** N events over T seconds, with progress every tenth: what tests and benchmarks watch. */
const selftest: RunHandler = async ({ run, emit, progress, signal }) => {
  const input = SelftestInput.parse(run.input);
  const started = performance.now();
  const every = Math.max(1, Math.round(input.events / 10));
  for (let i = 1; i <= input.events; i++) {
    const due = started + (input.seconds * 1000 * i) / input.events;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait, signal);
    signal.throwIfAborted();
    const tick: SelftestTick = { i, of: input.events, sentAt: performance.timeOrigin + performance.now() };
    await emit('selftest.tick', tick);
    if (i % every === 0 || i === input.events) await progress(i / input.events, `tick ${i} of ${input.events}`);
  }
  if (input.failWith) throw new Error(input.failWith);
  return { events: input.events };
};

export function registerSelftest(registry: RunRegistry): void {
  registry.registerRunHandler(SELFTEST_KIND, selftest, { input: SelftestInput });
}
