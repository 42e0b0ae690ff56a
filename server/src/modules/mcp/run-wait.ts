import type { AppServices } from '#server/services.ts';
import { isFinalRunStatus, type Run } from '#protocol/runs.ts';
import { RUN_EVENT, RunDoneData, type RunEventMessage } from '#protocol/events.ts';
import { getRun } from '#server/modules/runs/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';

export interface RunOutcome {
  /** false when the wait ended (timeout, client gone) before the run did: `run` is how it stood then. */
  finished: boolean;
  run: Run;
}

export interface WaitOptions {
  waitMs: number;
  /** The MCP request's signal: a client that hung up stops the wait (the run goes on). */
  signal?: AbortSignal;
  /** Every event of the run, in seq order, once each (feeds the progress notifications). */
  onEvent?: (event: RunEventMessage) => void;
}

/**
 * Waits for a run through the same event hub the SSE streams use (one feed per run per instance,
 * woken by the bus, with the hub's safety poll behind it), so it works whichever instance runs it.
 * The run is read once before and once after subscribing: a run that finished before the watch
 * began is answered from its row instead of waiting for a `done` that was already delivered.
 */
export async function waitForRun(services: Pick<AppServices, 'orm' | 'runs'>, auth: Authenticated, runId: string, options: WaitOptions): Promise<RunOutcome> {
  const { orm, runs } = services;
  const before = await getRun(orm, auth, runId);
  if (isFinalRunStatus(before.status)) return { finished: true, run: before };
  if (options.waitMs <= 0) return { finished: false, run: before };

  let lastSeq = 0;
  let settle: (finished: boolean) => void = () => undefined;
  const settled = new Promise<boolean>((resolve) => (settle = resolve));
  const stopWatching = runs.hub.watchRun({ id: runId, tenantId: auth.tenantId }, 0, {
    deliver(event) {
      if (event.seq <= lastSeq) return;
      lastSeq = event.seq;
      options.onEvent?.(event);
      if (event.type === RUN_EVENT.done && RunDoneData.safeParse(event.data).success) settle(true);
    },
  });
  const timer = setTimeout(() => settle(false), options.waitMs);
  const onAbort = () => settle(false);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const after = await getRun(orm, auth, runId);
    if (isFinalRunStatus(after.status)) settle(true);
    const finished = await settled;
    // The row is the answer (result, error), whatever the events said.
    const run = await getRun(orm, auth, runId);
    return { finished: finished && isFinalRunStatus(run.status), run };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    stopWatching();
  }
}
