import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { RunStatus } from '#protocol/runs.ts';

/**
 * A long job owned by the server (ARCHITECTURE.md section 4). Runners claim rows with
 * `FOR UPDATE SKIP LOCKED`; the lease says who executes it and until when; `last_seq` is the
 * per-run event counter, bumped under this row's lock so event numbers commit in order.
 */
export const RunRow = defineEntity({
  name: 'Run',
  tableName: 'runs',
  comment: 'Server-owned long jobs (analysis, autofix, sync...): status, lease, progress and outcome.',
  ...tenantRls('runs', ['select', 'insert', 'update']),
  indexes: [{ properties: ['status', 'createdAt'] }, { properties: ['projectId', 'kind', 'inputHash'] }],
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    kind: p.string().length(64),
    input: p.json<Record<string, unknown>>().default('{}'),
    inputHash: p.string().length(64),
    status: p.string().$type<RunStatus>().length(16).default('pending'),
    progress: p.double().$type<number>().default(0),
    progressMessage: p.string().length(500).nullable(),
    result: p.json<unknown>().nullable(),
    error: p.text().nullable(),
    attempts: p.integer().default(0),
    lastSeq: p.integer().default(0),
    leaseOwner: p.string().length(200).nullable(),
    leaseExpiresAt: p.datetime().nullable(),
    heartbeatAt: p.datetime().nullable(),
    cancelRequestedAt: p.datetime().nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
    startedAt: p.datetime().nullable(),
    finishedAt: p.datetime().nullable(),
  },
});
export type IRun = InferEntity<typeof RunRow>;
