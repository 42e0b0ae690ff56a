import type { Logger } from '#server/logger.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import type { EventBus } from './bus.ts';
import { RunFeed, TenantFeed, type FeedSource, type Sink, type TenantEvent } from './feeds.ts';

export interface EventHubOptions {
  /** Watched runs are re-read this often even without a notification: a lost one costs latency, never events. */
  safetyPollMs: number;
}

/** Tenant stream replays after a reconnect reach back this far before the cursor (commit skew between writers). */
export const TENANT_REPLAY_OVERLAP_MS = 5_000;

/**
 * Where SSE streams subscribe. Keeps one feed per watched run and per watched tenant in this
 * instance, wakes them from the bus, and drops a feed when its last watcher leaves, so the count
 * of subscriptions always equals the count of open streams.
 */
export class EventHub {
  private readonly runFeeds = new Map<string, RunFeed>();
  private readonly tenantFeeds = new Map<string, TenantFeed>();
  private readonly source: FeedSource;
  private readonly log: Logger;
  private readonly unsubscribe: () => void;
  private readonly safetyTimer: NodeJS.Timeout;

  constructor(bus: EventBus, source: FeedSource, log: Logger, options: EventHubOptions) {
    this.source = source;
    this.log = log.child({ component: 'event-hub' });
    this.unsubscribe = bus.subscribe((message) => {
      switch (message.type) {
        case 'run.event': {
          const feed = this.runFeeds.get(message.runId);
          if (message.event) feed?.offer(message.event);
          else feed?.wake();
          break;
        }
        case 'run.created':
        case 'run.updated':
          this.tenantFeeds.get(message.tenantId)?.changed(message.runId, message.type === 'run.created');
          break;
        case 'tenant.notice':
          this.tenantFeeds.get(message.tenantId)?.notice(message.event, message.data);
          break;
        case 'resync':
          for (const feed of this.runFeeds.values()) feed.wake();
          for (const feed of this.tenantFeeds.values()) void feed.resync(TENANT_REPLAY_OVERLAP_MS);
          break;
      }
    });
    this.safetyTimer = setInterval(() => {
      for (const feed of this.runFeeds.values()) feed.wake();
    }, options.safetyPollMs);
    this.safetyTimer.unref();
  }

  private readonly reportError = (error: unknown) => this.log.warn({ err: error }, 'reading a feed failed');

  /**
   * Delivers events of `run` with seq > `cursor` as they commit. The caller replays what came
   * before from the database itself; overlap is possible, gaps are not (dedupe by seq).
   */
  watchRun(run: { id: string; tenantId: string }, cursor: number, sink: Sink<RunEventMessage>): () => void {
    let feed = this.runFeeds.get(run.id);
    if (!feed) {
      feed = new RunFeed(run.id, run.tenantId, cursor, this.source, this.reportError);
      this.runFeeds.set(run.id, feed);
    }
    feed.sinks.add(sink);
    // Anything committed between the caller's read and this subscription arrives now.
    feed.wake();
    const owner = feed;
    return () => {
      owner.sinks.delete(sink);
      if (owner.sinks.size === 0 && this.runFeeds.get(run.id) === owner) this.runFeeds.delete(run.id);
    };
  }

  watchTenant(tenantId: string, sink: Sink<TenantEvent>): () => void {
    let feed = this.tenantFeeds.get(tenantId);
    if (!feed) {
      feed = new TenantFeed(tenantId, this.source, this.reportError);
      this.tenantFeeds.set(tenantId, feed);
    }
    feed.sinks.add(sink);
    const owner = feed;
    return () => {
      owner.sinks.delete(sink);
      if (owner.sinks.size === 0 && this.tenantFeeds.get(tenantId) === owner) this.tenantFeeds.delete(tenantId);
    };
  }

  /** Open subscriptions in this instance (run and tenant streams): back to 0 when every client left. */
  subscriberCount(): number {
    let count = 0;
    for (const feed of this.runFeeds.values()) count += feed.sinks.size;
    for (const feed of this.tenantFeeds.values()) count += feed.sinks.size;
    return count;
  }

  close(): void {
    clearInterval(this.safetyTimer);
    this.unsubscribe();
  }
}
