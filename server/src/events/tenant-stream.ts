import type { EventHub } from './event-hub.ts';
import { TENANT_REPLAY_OVERLAP_MS } from './event-hub.ts';
import { FEED_PAGE, type FeedSource, type TenantEvent } from './feeds.ts';
import { TENANT_EVENT } from '#protocol/events.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { SseStream } from './sse.ts';

/**
 * Serves a tenant's change feed: each event is a run's state at that moment (a snapshot, so a
 * repeat is harmless). After a reconnect, runs changed since a little before the cursor are sent
 * again: writers on several instances commit slightly out of time order, and the overlap covers it.
 */
export async function serveTenantStream(sse: SseStream, hub: EventHub, source: FeedSource, tenantId: string, afterMs: number | null): Promise<void> {
  let live = false;
  const waiting: TenantEvent[] = [];
  const send = (event: TenantEvent) => sse.send(event.id, event.type, 'run' in event ? event.run : event.notice);
  const unwatch = hub.watchTenant(tenantId, {
    deliver(event) {
      if (live) send(event);
      else waiting.push(event);
    },
  });
  sse.onClose(unwatch);

  if (afterMs !== null) {
    const runs = await source.runsUpdatedSince(tenantId, afterMs - TENANT_REPLAY_OVERLAP_MS, FEED_PAGE);
    for (const run of runs) {
      const type = isFinalRunStatus(run.status) ? TENANT_EVENT.runFinished : run.attempts === 0 ? TENANT_EVENT.runCreated : TENANT_EVENT.runUpdated;
      send({ id: Date.parse(run.updatedAt), type, run });
    }
  }
  live = true;
  for (const event of waiting.splice(0)) send(event);
}
