import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { EventBus } from '#server/events/bus.ts';
import type { Logger } from '#server/logger.ts';
import type { RunDoneData } from '#protocol/events.ts';
import { RUN_EVENT } from '#protocol/events.ts';
import type { RunContext, RunRegistry } from './registry.ts';
import { appendRunEvent, claimNextRun, finishRun, releaseRun, renewLease, type ClaimedRun } from './store.ts';
import { sweepOrphanRuns } from './sweep.ts';

/** Names this process in lease_owner and as the origin of bus notifications. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export interface RunnerOptions {
  instanceId: string;
  concurrency: number;
  leaseMs: number;
  stuckMs: number;
  maxAttempts: number;
  /** How long a handler may take to honour an abort before the runner finishes the run without it. */
  abortGraceMs?: number;
}

type AbortReason = 'cancel' | 'lease-lost' | 'shutdown';

export class RunAbortedError extends Error {
  readonly reason: AbortReason;
  constructor(reason: AbortReason) {
    super(`run aborted: ${reason}`);
    this.reason = reason;
  }
}

interface ActiveRun {
  abort(reason: AbortReason): void;
  settled: Promise<void>;
}

const RESERVED_EVENT_TYPES = new Set<string>([RUN_EVENT.done, RUN_EVENT.status, RUN_EVENT.progress]);

/**
 * Executes runs inside nyx-server: claims them (`FOR UPDATE SKIP LOCKED`), heartbeats the lease,
 * hands handlers a context to emit events and progress, and writes the final status. Wakes on
 * `run.created`, and polls on a timer for expired leases (a crashed instance's runs) and orphans.
 */
export class Runner {
  readonly instanceId: string;
  private readonly orm: Orm;
  private readonly registry: RunRegistry;
  private readonly bus: EventBus;
  private readonly log: Logger;
  private readonly options: Required<RunnerOptions>;
  private readonly active = new Map<string, ActiveRun>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private filling: Promise<void> | null = null;
  private fillAgain = false;
  private closed = false;

  constructor(orm: Orm, registry: RunRegistry, bus: EventBus, log: Logger, options: RunnerOptions) {
    this.orm = orm;
    this.registry = registry;
    this.bus = bus;
    this.log = log.child({ component: 'runner' });
    this.options = { abortGraceMs: 5_000, ...options };
    this.instanceId = options.instanceId;
  }

  start(): void {
    this.unsubscribe = this.bus.subscribe((message) => {
      if (message.type === 'run.created' || message.type === 'resync') this.fill();
      if (message.type === 'run.cancel') this.active.get(message.runId)?.abort('cancel');
    });
    const tickMs = Math.max(200, Math.min(5_000, Math.floor(this.options.leaseMs / 3)));
    this.timer = setInterval(() => void this.tick(), tickMs);
    this.timer.unref();
    this.fill();
  }

  /** Runs executing in this instance now. */
  activeCount(): number {
    return this.active.size;
  }

  private async tick(): Promise<void> {
    try {
      await sweepOrphanRuns(this.orm, this.bus, this.log, this.options);
    } catch (error) {
      if (!this.closed) this.log.warn({ err: error }, 'orphan sweep failed');
    }
    this.fill();
  }

  /** Claims runs until the concurrency limit is reached or none is left; concurrent calls coalesce. */
  private fill(): void {
    if (this.closed || this.options.concurrency === 0) return;
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = (async () => {
      do {
        this.fillAgain = false;
        while (!this.closed && this.active.size < this.options.concurrency) {
          const run = await claimNextRun(this.orm, this.instanceId, this.registry.kinds(), this.options.leaseMs, this.options.maxAttempts);
          if (!run) break;
          if (this.closed) {
            await releaseRun(this.orm, run.id, this.instanceId);
            break;
          }
          this.execute(run);
          // Nothing else was waiting: no empty claim (a transaction) in the middle of this run. A run
          // created meanwhile publishes run.created, which sets fillAgain.
          if (!run.morePending) break;
        }
      } while (this.fillAgain && !this.closed);
    })()
      .catch((error) => {
        if (!this.closed) this.log.warn({ err: error }, 'claiming runs failed');
      })
      .finally(() => {
        this.filling = null;
      });
  }

  private execute(run: ClaimedRun): void {
    const controller = new AbortController();
    let reason: AbortReason | null = null;
    const abort = (why: AbortReason) => {
      if (reason) return;
      reason = why;
      controller.abort(new RunAbortedError(why));
    };
    const settled = this.supervise(run, controller.signal, abort, () => reason)
      // The database failed while finishing: the lease runs out and the run is claimed again or swept.
      .catch((error) => this.log.error({ err: error, runId: run.id }, 'could not record the end of a run'))
      .finally(() => {
        this.active.delete(run.id);
        this.fill();
      });
    this.active.set(run.id, { abort, settled });
  }

  private async supervise(run: ClaimedRun, signal: AbortSignal, abort: (why: AbortReason) => void, reasonOf: () => AbortReason | null): Promise<void> {
    const log = this.log.child({ runId: run.id, kind: run.kind, attempt: run.attempt });
    const scope = { tenantId: run.tenantId, userId: run.createdBy };
    this.bus.publish({ type: 'run.event', tenantId: run.tenantId, runId: run.id, seq: run.statusSeq });
    this.bus.publish({ type: 'run.updated', tenantId: run.tenantId, runId: run.id });
    const heartbeat = setInterval(() => {
      renewLease(this.orm, run.id, this.instanceId, this.options.leaseMs).then(
        (lease) => {
          if (!lease.held) abort('lease-lost');
          else if (lease.cancelRequested) abort('cancel');
        },
        (error) => log.warn({ err: error }, 'heartbeat failed'),
      );
    }, Math.max(100, Math.floor(this.options.leaseMs / 3)));
    heartbeat.unref();

    let outcome: RunDoneData;
    try {
      const result = await this.untilSettledOrAbandoned(this.registry.handlerFor(run.kind)!(this.contextFor(run, signal, abort, log)), signal);
      outcome = { status: 'succeeded', result: result ?? null, error: null };
    } catch (error) {
      outcome = { status: 'failed', result: null, error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearInterval(heartbeat);
    }
    const why = reasonOf();
    if (why === 'lease-lost') {
      log.warn('lease lost: another instance or the sweep owns this run now');
      return;
    }
    if (why === 'shutdown') {
      if (await releaseRun(this.orm, run.id, this.instanceId).catch(() => false)) {
        this.bus.publish({ type: 'run.created', tenantId: run.tenantId, runId: run.id });
      }
      return;
    }
    if (why === 'cancel') outcome = { status: 'cancelled', result: null, error: null };
    const finished = await withTenant(this.orm, scope, (em) => finishRun(em, run.id, outcome, { kind: 'owner', owner: this.instanceId }));
    if (!finished) return;
    log.info({ status: outcome.status }, 'run finished');
    this.bus.publish({ type: 'run.event', tenantId: run.tenantId, runId: run.id, seq: finished.seq, event: finished.event });
    this.bus.publish({ type: 'run.updated', tenantId: run.tenantId, runId: run.id });
  }

  /** The handler's outcome; after an abort, waits at most the grace period for it to notice. */
  private untilSettledOrAbandoned<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    work.catch(() => undefined); // an abandoned handler's late failure is expected, not unhandled
    let graceTimer: NodeJS.Timeout | undefined;
    const abandoned = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => {
        graceTimer = setTimeout(() => reject(signal.reason), this.options.abortGraceMs);
      }, { once: true });
    });
    return Promise.race([work, abandoned]).finally(() => clearTimeout(graceTimer));
  }

  private contextFor(run: ClaimedRun, signal: AbortSignal, abort: (why: AbortReason) => void, log: Logger): RunContext {
    const scope = { tenantId: run.tenantId, userId: run.createdBy };
    const append = async (type: string, data: unknown, progress?: { fraction: number; message: string | null }) => {
      signal.throwIfAborted();
      const appended = await withTenant(this.orm, scope, (em) => appendRunEvent(em, run.id, this.instanceId, type, data, progress));
      if (!appended) {
        abort('lease-lost');
        signal.throwIfAborted();
      }
      this.bus.publish({ type: 'run.event', tenantId: run.tenantId, runId: run.id, seq: appended!.seq, event: appended!.event });
      if (progress) this.bus.publish({ type: 'run.updated', tenantId: run.tenantId, runId: run.id });
      return appended!.seq;
    };
    return {
      run: { id: run.id, tenantId: run.tenantId, projectId: run.projectId, kind: run.kind, input: run.input, attempt: run.attempt, createdBy: run.createdBy },
      signal,
      log,
      emit: (type, data) => {
        if (!type || type.length > 64 || RESERVED_EVENT_TYPES.has(type)) return Promise.reject(new Error(`"${type}" cannot be emitted by a handler`));
        return append(type, data ?? null);
      },
      progress: async (fraction, message = null) => {
        const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
        const text = message?.slice(0, 500) ?? null;
        await append(RUN_EVENT.progress, { fraction: clamped, message: text }, { fraction: clamped, message: text });
      },
      withTenant: (work) => {
        signal.throwIfAborted();
        return withTenant(this.orm, scope, work);
      },
    };
  }

  /** Stops claiming, aborts running handlers and hands their runs back for another instance. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    // Bounded: a claim stuck on a database that is already gone must not hold up shutdown.
    await Promise.race([this.filling, new Promise((resolve) => setTimeout(resolve, this.options.abortGraceMs))]);
    const running = [...this.active.values()];
    for (const run of running) run.abort('shutdown');
    // Same bound for handing runs back: ones not released are claimed again when their lease expires.
    await Promise.race([Promise.allSettled(running.map((run) => run.settled)), new Promise((resolve) => setTimeout(resolve, this.options.abortGraceMs))]);
  }
}
