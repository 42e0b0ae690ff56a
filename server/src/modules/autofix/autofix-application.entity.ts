import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * One file of an autofix/refactor run's patch that an editor reported as applied. Unique per run
 * and path, so a second report of the same file (a retry, a reload, a teammate) changes nothing.
 */
export const AutofixApplicationRow = defineEntity({
  name: 'AutofixApplication',
  tableName: 'autofix_applications',
  comment: 'Files of autofix/refactor patches applied in an editor; unique per run and path, so nothing is applied twice.',
  ...tenantRls('autofix_applications', ['select', 'insert', 'update']),
  uniques: [{ properties: ['runId', 'path'] }],
  indexes: [{ properties: ['projectId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    runId: p.uuid(),
    projectId: p.uuid(),
    path: p.string().length(1024),
    baseBlobHash: p.string().length(64),
    newBlobHash: p.string().length(64),
    /** The file was saved exactly as the run proposed. */
    asProposed: p.boolean(),
    snapshotId: p.uuid(),
    analysisRunId: p.uuid().nullable(),
    appliedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAutofixApplication = InferEntity<typeof AutofixApplicationRow>;
