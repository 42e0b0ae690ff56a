import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { tenantRls } from '#server/db/rls.ts';
import type { Severity } from '#protocol/findings.ts';

export interface PatternExample {
  path: string;
  line: number;
  snippet: string;
}

/**
 * Recurring issues of a project: one row per rule with open findings, recomputed after each
 * analysis. `embedding` (1536 dimensions, like every Nyx vector) lets notes and memory find
 * patterns by meaning; `embedder` says which embedder made it so vectors are never mixed.
 */
export const CodePatternRow = defineEntity({
  name: 'CodePattern',
  tableName: 'code_patterns',
  comment: 'Recurring issues per project and rule (open finding count, examples), with an embedding for semantic search.',
  ...tenantRls('code_patterns', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['projectId', 'ruleId'] }],
  indexes: [
    {
      name: 'code_patterns_embedding_hnsw_index',
      expression: 'create index "code_patterns_embedding_hnsw_index" on "code_patterns" using hnsw ("embedding" vector_cosine_ops)',
    },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    ruleId: p.string().length(200),
    title: p.string().length(200),
    severity: p.string().$type<Severity>().length(16).default('warning'),
    count: p.integer().default(0),
    examples: p.json<PatternExample[]>().default('[]'),
    embedding: p.type(VectorType).columnType('vector(1536)').$type<number[]>(),
    embedder: p.string().length(64).default('local-hash-v1'),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ICodePattern = InferEntity<typeof CodePatternRow>;
