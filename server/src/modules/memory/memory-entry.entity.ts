import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { tenantRls } from '#server/db/rls.ts';
import type { MemoryKind, MemorySource } from '#protocol/memory.ts';

/** The text full-text search reads; the GIN index below is on the same expression. */
export const MEMORY_TSVECTOR_SQL = `to_tsvector('english', "text")`;

/**
 * What a project has learned: decisions, conventions and facts, from people and from runs.
 * Each is embedded (1536-d, `embedder` says by what, so vectors of two embedders are never compared).
 */
export const MemoryEntryRow = defineEntity({
  name: 'MemoryEntry',
  tableName: 'memory_entries',
  comment: 'Project memory: decisions, conventions and facts from people and runs, embedded for search.',
  ...tenantRls('memory_entries', ['select', 'insert', 'update', 'delete']),
  indexes: [
    { properties: ['projectId', 'createdAt'] },
    { name: 'memory_entries_embedding_hnsw_index', expression: 'create index "memory_entries_embedding_hnsw_index" on "memory_entries" using hnsw ("embedding" vector_cosine_ops)' },
    { name: 'memory_entries_fts_index', expression: `create index "memory_entries_fts_index" on "memory_entries" using gin (${MEMORY_TSVECTOR_SQL})` },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    kind: p.string().$type<MemoryKind>().length(16).default('fact'),
    text: p.text(),
    source: p.string().$type<MemorySource>().length(16).default('user'),
    sourceRunId: p.uuid().nullable(),
    /** Null until the background embedder has made it (docs/ai.md "Embeddings never block a write"). */
    embedding: p.type(VectorType).columnType('vector(1536)').$type<number[]>().nullable(),
    embedder: p.string().length(64).default('local-hash-v1'),
    /** Failed embedding attempts so far; the next waits longer. */
    embedAttempts: p.integer().default(0),
    /** When the sweeper may (re)try embedding this row; null once embedded. */
    embedRetryAt: p.datetime().nullable().index(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IMemoryEntry = InferEntity<typeof MemoryEntryRow>;
