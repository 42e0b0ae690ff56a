import type { RunEventMessage, TenantEventType } from '#protocol/events.ts';
import { TENANT_EVENT } from '#protocol/events.ts';
import { isFinalRunStatus, type Run } from '#protocol/runs.ts';

/** How the feeds read rows; implemented over tenant-scoped transactions by the runs module. */
export interface FeedSource {
  runEventsAfter(tenantId: string, runId: string, afterSeq: number, limit: number): Promise<RunEventMessage[]>;
  runsByIds(tenantId: string, ids: string[]): Promise<Run[]>;
  runsUpdatedSince(tenantId: string, sinceMs: number, limit: number): Promise<Run[]>;
}

export interface Sink<T> {
  deliver(event: T): void;
}

export type TenantEvent =
  | {
      /** Epoch ms of the run's updated_at: the tenant stream's resume cursor. */
      id: number;
      type: TenantEventType;
      run: Run;
    }
  /** A feature's notice (bus `tenant.notice`): live only, not replayed; clients refetch on reconnect. */
  | { id: number; type: string; notice: Record<string, unknown> };

export const FEED_PAGE = 500;

/**
 * Fans one run's events out to every watcher in this instance: one database read per wake-up,
 * however many watchers, instead of one each. Wake-ups that arrive during a read coalesce into
 * one more read, so a burst of events costs a few reads, and none is missed. An event committed
 * by this process arrives ready-made (`offer`) and is delivered without any read when it is the
 * next seq; anything else (a gap, another instance's event) falls back to a read.
 */
export class RunFeed {
  readonly sinks = new Set<Sink<RunEventMessage>>();
  private readonly runId: string;
  private readonly tenantId: string;
  private readonly source: FeedSource;
  private readonly onError: (error: unknown) => void;
  /** Highest seq this feed delivered; all events up to it were committed before the feed read past them. */
  private cursor: number;
  private reading = false;
  private readAgain = false;

  constructor(runId: string, tenantId: string, cursor: number, source: FeedSource, onError: (error: unknown) => void) {
    this.runId = runId;
    this.tenantId = tenantId;
    this.cursor = cursor;
    this.source = source;
    this.onError = onError;
  }

  /** A committed event of this run, from its writer in this process. */
  offer(event: RunEventMessage): void {
    if (event.seq === this.cursor + 1) this.deliver(event);
    else if (event.seq > this.cursor) this.wake(); // something before it is not here yet: read the gap
  }

  wake(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.readNew().finally(() => {
      this.reading = false;
    });
  }

  /** Every seq once and in order: a read may return events `offer` already delivered meanwhile. */
  private deliver(event: RunEventMessage): void {
    if (event.seq <= this.cursor) return;
    this.cursor = event.seq;
    for (const sink of this.sinks) sink.deliver(event);
  }

  private async readNew(): Promise<void> {
    do {
      this.readAgain = false;
      if (this.sinks.size === 0) return;
      try {
        const events = await this.source.runEventsAfter(this.tenantId, this.runId, this.cursor, FEED_PAGE);
        for (const event of events) this.deliver(event);
        if (events.length === FEED_PAGE) this.readAgain = true;
      } catch (error) {
        this.onError(error);
      }
    } while (this.readAgain);
  }
}

/**
 * Fans run changes out to a tenant's watchers: a notification names a run, the feed reads it once
 * (coalescing repeated notifications for the same run) and delivers its current state.
 */
export class TenantFeed {
  readonly sinks = new Set<Sink<TenantEvent>>();
  private readonly tenantId: string;
  private readonly source: FeedSource;
  private readonly onError: (error: unknown) => void;
  private readonly pending = new Map<string, boolean>();
  private draining = false;
  private lastDeliveredMs = Date.now();

  constructor(tenantId: string, source: FeedSource, onError: (error: unknown) => void) {
    this.tenantId = tenantId;
    this.source = source;
    this.onError = onError;
  }

  /** `created` marks the first notification of a run, so watchers can tell new runs from updates. */
  changed(runId: string, created: boolean): void {
    this.pending.set(runId, created || (this.pending.get(runId) ?? false));
    if (this.draining) return;
    this.draining = true;
    void this.drain().finally(() => {
      this.draining = false;
    });
  }

  /** After lost notifications: re-deliver every run changed since shortly before the last delivery. */
  async resync(overlapMs: number): Promise<void> {
    try {
      const runs = await this.source.runsUpdatedSince(this.tenantId, this.lastDeliveredMs - overlapMs, FEED_PAGE);
      for (const run of runs) this.deliver(run, false);
    } catch (error) {
      this.onError(error);
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && this.sinks.size > 0) {
      const batch = [...this.pending.entries()].slice(0, FEED_PAGE);
      for (const [id] of batch) this.pending.delete(id);
      try {
        const runs = await this.source.runsByIds(this.tenantId, batch.map(([id]) => id));
        const created = new Map(batch);
        for (const run of runs) this.deliver(run, created.get(run.id) ?? false);
      } catch (error) {
        this.onError(error);
      }
    }
    this.pending.clear();
  }

  notice(type: string, data: Record<string, unknown>): void {
    for (const sink of this.sinks) sink.deliver({ id: Date.now(), type, notice: data });
  }

  private deliver(run: Run, created: boolean): void {
    const id = Date.parse(run.updatedAt);
    this.lastDeliveredMs = Math.max(this.lastDeliveredMs, id);
    const type = isFinalRunStatus(run.status) ? TENANT_EVENT.runFinished : created ? TENANT_EVENT.runCreated : TENANT_EVENT.runUpdated;
    for (const sink of this.sinks) sink.deliver({ id, type, run });
  }
}
