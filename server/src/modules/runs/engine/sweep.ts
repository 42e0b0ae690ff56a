import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { EventBus } from '#server/events/bus.ts';
import type { Logger } from '#server/logger.ts';
import type { RunDoneData } from '#protocol/events.ts';
import { findOrphanRuns, finishRun, type OrphanRun } from './store.ts';

export interface SweepOptions {
  maxAttempts: number;
  stuckMs: number;
}

/** Why the run ended, in words a user can act on. */
function orphanOutcome(run: OrphanRun, options: SweepOptions): RunDoneData {
  if (run.cancelRequested) return { status: 'cancelled', result: null, error: null };
  if (run.leaseExpired && run.attempts >= options.maxAttempts) {
    return {
      status: 'failed',
      result: null,
      error: `The server executing this run stopped (lease expired) on each of ${run.attempts} attempts; it was not started again.`,
    };
  }
  return {
    status: 'failed',
    result: null,
    error: `No heartbeat for more than ${Math.round(options.stuckMs / 1000)} s: the run was stuck and has been failed.`,
  };
}

/**
 * Nothing stays `running` forever: runs whose lease expired with no attempt left, whose cancel
 * has nobody left to honour it, or that went silent past the stuck limit, end here. Every
 * instance sweeps; the guard in finishRun re-checks each row under its lock, so they never clash.
 */
export async function sweepOrphanRuns(orm: Orm, bus: EventBus, log: Logger, options: SweepOptions): Promise<number> {
  const orphans = await findOrphanRuns(orm, options.maxAttempts, options.stuckMs);
  let swept = 0;
  for (const run of orphans) {
    const outcome = orphanOutcome(run, options);
    const finished = await withTenant(orm, { tenantId: run.tenantId, userId: null }, (em) =>
      finishRun(em, run.id, outcome, { kind: 'orphan', ...options }),
    );
    if (!finished) continue;
    swept++;
    log.warn({ runId: run.id, status: outcome.status, reason: outcome.error }, 'swept an orphaned run');
    bus.publish({ type: 'run.event', tenantId: run.tenantId, runId: run.id, seq: finished.seq });
    bus.publish({ type: 'run.updated', tenantId: run.tenantId, runId: run.id });
  }
  return swept;
}
