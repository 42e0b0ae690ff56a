import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

export interface InjectedContextEntry {
  kind: 'project' | 'input' | 'step-output' | 'policies';
  step?: string;
  chars: number;
}

/** What each step of a workflow run produced, keyed by (run, step) so a re-executed run overwrites. */
export const WorkflowStepOutputRow = defineEntity({
  name: 'WorkflowStepOutput',
  tableName: 'workflow_step_outputs',
  comment: 'Outputs of workflow run steps; a retry copies the ones before the failed step (reused_from_run_id).',
  ...tenantRls('workflow_step_outputs', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['runId', 'stepIndex'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    runId: p.uuid(),
    stepIndex: p.integer(),
    stepName: p.string().length(63),
    personaId: p.uuid().nullable(),
    output: p.text(),
    injected: p.json<InjectedContextEntry[]>().default('[]'),
    provider: p.string().length(32).nullable(),
    model: p.string().length(200).nullable(),
    reusedFromRunId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IWorkflowStepOutput = InferEntity<typeof WorkflowStepOutputRow>;
