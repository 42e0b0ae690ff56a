import type { EventBus } from '#server/events/bus.ts';
import { FINDINGS_CHANGED_EVENT, type FindingsChangedData } from '#protocol/analysis.ts';

/** More ids than this and the notice says only "refetch the project" (a NOTIFY payload is capped at 8000 bytes). */
const MAX_IDS = 50;

/**
 * Tells every editor of the tenant (GET /api/v1/events, event `findings.changed`) that a
 * project's findings changed, after the change committed. Ids only: clients refetch.
 */
export function publishFindingsChanged(bus: EventBus, tenantId: string, data: FindingsChangedData): void {
  const notice: FindingsChangedData = { ...data, findingIds: data.findingIds.length > MAX_IDS ? [] : data.findingIds };
  bus.publish({ type: 'tenant.notice', tenantId, event: FINDINGS_CHANGED_EVENT, data: notice });
}
