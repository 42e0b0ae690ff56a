import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { ManifestEntry } from '#protocol/analysis.ts';

/** What a snapshot built on another changed: entries new or with other content, paths removed. */
export interface SnapshotDelta {
  changed: ManifestEntry[];
  removed: string[];
}

/** The files of a project at one moment: path -> blob hash. Immutable once written. */
export const Snapshot = defineEntity({
  name: 'Snapshot',
  tableName: 'snapshots',
  comment: 'A project\'s files at one moment (manifest of path, sha256, size); analyses run on snapshots.',
  ...tenantRls('snapshots', ['select', 'insert', 'delete']),
  indexes: [{ properties: ['projectId', 'createdAt'] }],
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    source: p.string().length(16).default('workspace'),
    files: p.json<ManifestEntry[]>(),
    /**
     * The snapshot this one was built on and what differs from it, when the server knows it
     * without comparing manifests (decision 0025). `files` is complete either way; these only
     * spare an analysis on top of the base's the diff of two manifests of thousands of entries.
     */
    baseSnapshotId: p.uuid().nullable().index(),
    baseDelta: p.json<SnapshotDelta>().nullable(),
    fileCount: p.integer(),
    totalBytes: p.bigint('number'),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ISnapshot = InferEntity<typeof Snapshot>;
