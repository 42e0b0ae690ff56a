import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * What a project's findings table describes right now: the analysis run that last wrote it, the
 * snapshot it analyzed, and the rule set and analyzer version it ran with. Written in the same
 * transaction as the findings, so the next analysis with the same rules and version can compare
 * manifests and touch only the files that changed (decision 0024). One row per project.
 */
export const AnalysisState = defineEntity({
  name: 'AnalysisState',
  tableName: 'analysis_states',
  comment: 'Per project: the analysis run, snapshot, rule set and analyzer version the findings table reflects (the base of incremental analyses).',
  ...tenantRls('analysis_states', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['projectId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    runId: p.uuid(),
    snapshotId: p.uuid(),
    ruleSet: p.string().length(64),
    analyzerVersion: p.string().length(64),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IAnalysisState = InferEntity<typeof AnalysisState>;
