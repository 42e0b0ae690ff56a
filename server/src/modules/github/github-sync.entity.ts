import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A completed GitHub sync, written once at its end together with its snapshot. A sync that dies
 * half-way leaves no row (its run is failed by the runner's sweep), so nothing here can block
 * the next one; `previous_sync_id` is deliberately not unique: two syncs may start from the same base.
 */
export const GithubSync = defineEntity({
  name: 'GithubSync',
  tableName: 'github_syncs',
  comment: 'Completed GitHub imports/syncs of a project: commit, snapshot, what was fetched and reused.',
  ...tenantRls('github_syncs', ['select', 'insert', 'delete']),
  indexes: [{ properties: ['projectId', 'createdAt'] }],
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    runId: p.uuid(),
    previousSyncId: p.uuid().nullable(),
    owner: p.string().length(100),
    repo: p.string().length(100),
    branch: p.string().length(255),
    scanPath: p.string().length(500).default(''),
    commitSha: p.string().length(40),
    snapshotId: p.uuid(),
    files: p.integer().default(0),
    fetched: p.integer().default(0),
    reused: p.integer().default(0),
    skipped: p.integer().default(0),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IGithubSync = InferEntity<typeof GithubSync>;
