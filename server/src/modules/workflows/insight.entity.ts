import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { tenantRls } from '#server/db/rls.ts';

/**
 * Lessons extracted from finished workflow runs, with a 1536-d embedding (HNSW, cosine) so later
 * runs (`{{memory}}`) and note enrichment find them by meaning. `embedder` records which
 * embedder made the vector: vectors of different embedders are never compared.
 */
export const WorkflowInsightRow = defineEntity({
  name: 'WorkflowInsight',
  tableName: 'workflow_insights',
  comment: 'Insights extracted from workflow runs, with embeddings for semantic retrieval.',
  ...tenantRls('workflow_insights', ['select', 'insert', 'delete']),
  indexes: [
    { properties: ['projectId', 'embedder'] },
    {
      name: 'workflow_insights_embedding_hnsw_index',
      expression: 'create index "workflow_insights_embedding_hnsw_index" on "workflow_insights" using hnsw ("embedding" vector_cosine_ops)',
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    workflowId: p.uuid(),
    runId: p.uuid(),
    title: p.string().length(200),
    content: p.text(),
    embedding: p.type(VectorType).columnType('vector(1536)').$type<number[]>(),
    embedder: p.string().length(64).default('local-hash-v1'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IWorkflowInsight = InferEntity<typeof WorkflowInsightRow>;
