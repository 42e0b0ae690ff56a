import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { WorkflowStep } from '#protocol/workflows.ts';

/** A workflow's identity and current version; the definitions themselves are in workflow_versions. */
export const WorkflowRow = defineEntity({
  name: 'Workflow',
  tableName: 'workflows',
  comment: 'Workflow definitions shared by the tenant; each save adds a version in workflow_versions.',
  ...tenantRls('workflows', ['select', 'insert', 'update', 'delete']),
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'name'] }, { properties: ['tenantId', 'builtInKey'] }, { properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    name: p.string().length(100),
    description: p.text().default(''),
    currentVersion: p.integer().default(1),
    builtInKey: p.string().length(64).nullable(),
    source: p.string().$type<'api' | 'workspace' | 'builtin'>().length(16).default('api'),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IWorkflow = InferEntity<typeof WorkflowRow>;

/** Immutable versions: a run pins (workflow, version), so editing never changes a run in flight. */
export const WorkflowVersionRow = defineEntity({
  name: 'WorkflowVersion',
  tableName: 'workflow_versions',
  comment: 'Immutable versions of workflow definitions (ordered steps); runs pin one.',
  ...tenantRls('workflow_versions', ['select', 'insert', 'delete']),
  uniques: [{ properties: ['workflowId', 'version'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    workflowId: p.uuid(),
    version: p.integer(),
    name: p.string().length(100),
    description: p.text().default(''),
    steps: p.json<WorkflowStep[]>(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IWorkflowVersion = InferEntity<typeof WorkflowVersionRow>;
