import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { FeedSource } from '#server/events/feeds.ts';
import { readRunEventsAfter } from '#server/modules/runs/engine/store.ts';
import { toRunDto } from './dto.ts';
import { RunRow } from './run.entity.ts';

/** The event feeds read through tenant-scoped transactions, like any request: RLS applies to streams too. */
export function runFeedSource(orm: Orm): FeedSource {
  const asTenant = (tenantId: string) => ({ tenantId, userId: null });
  return {
    runEventsAfter: (tenantId, runId, afterSeq, limit) => withTenant(orm, asTenant(tenantId), (em) => readRunEventsAfter(em, runId, afterSeq, limit)),
    runsByIds: (tenantId, ids) =>
      withTenant(orm, asTenant(tenantId), async (em) => (await em.find(RunRow, { id: { $in: ids } })).map(toRunDto)),
    runsUpdatedSince: (tenantId, sinceMs, limit) =>
      withTenant(orm, asTenant(tenantId), async (em) =>
        (await em.find(RunRow, { updatedAt: { $gt: new Date(sinceMs) } }, { orderBy: { updatedAt: 'asc', id: 'asc' }, limit })).map(toRunDto),
      ),
  };
}
