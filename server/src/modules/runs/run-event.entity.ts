import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * What a run said while it ran, in order. `seq` comes from runs.last_seq under the run's row
 * lock, so a reader asking for `seq > n` never skips an event that commits later.
 */
export const RunEventRow = defineEntity({
  name: 'RunEvent',
  tableName: 'run_events',
  comment: 'Append-only event log of each run; (run_id, seq) is the SSE resume cursor.',
  ...tenantRls('run_events', ['select', 'insert']),
  properties: {
    runId: p.uuid().primary(),
    seq: p.integer().primary(),
    tenantId: p.uuid().index(),
    type: p.string().length(64),
    data: p.json<unknown>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IRunEvent = InferEntity<typeof RunEventRow>;
