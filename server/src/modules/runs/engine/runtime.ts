import type { NyxConfig } from '#server/config.ts';
import type { Orm } from '#server/db/orm.ts';
import { LocalEventBus, type EventBus } from '#server/events/bus.ts';
import { EventHub } from '#server/events/event-hub.ts';
import type { FeedSource } from '#server/events/feeds.ts';
import { PgEventBus } from '#server/events/pg-bus.ts';
import type { Logger } from '#server/logger.ts';
import { runFeedSource } from '#server/modules/runs/feed-source.ts';
import { RunRegistry } from './registry.ts';
import { newInstanceId, Runner } from './runner.ts';
import { registerSelftest } from './selftest.ts';

/** Everything runs and live events need in one instance; features reach `registry` through AppServices. */
export interface RunRuntime {
  registry: RunRegistry;
  bus: EventBus;
  hub: EventHub;
  source: FeedSource;
  runner: Runner;
  /** Starts claiming runs; call once the features registered their kinds. */
  start(): void;
  close(): Promise<void>;
}

/**
 * On the embedded database one process owns everything, and its socket cannot carry LISTEN
 * across processes: the bus is in-process. On a real PostgreSQL, LISTEN/NOTIFY links instances.
 */
export async function createRunRuntime(config: NyxConfig, orm: Orm, log: Logger, databaseUrl: string, embedded: boolean): Promise<RunRuntime> {
  const registry = new RunRegistry();
  registerSelftest(registry);
  const instanceId = newInstanceId();
  const bus: EventBus = embedded
    ? new LocalEventBus((error) => log.error({ err: error }, 'event bus listener failed'))
    : await PgEventBus.connect(databaseUrl, instanceId, log);
  const runner = new Runner(orm, registry, bus, log, {
    instanceId,
    concurrency: config.runConcurrency,
    leaseMs: config.runLeaseMs,
    stuckMs: config.runStuckMs,
    maxAttempts: config.runMaxAttempts,
  });
  const source = runFeedSource(orm);
  const hub = new EventHub(bus, source, log, { safetyPollMs: config.eventSafetyPollMs });
  return {
    registry,
    bus,
    hub,
    source,
    runner,
    start: () => runner.start(),
    async close() {
      await runner.close();
      hub.close();
      await bus.close();
    },
  };
}
