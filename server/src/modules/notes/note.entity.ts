import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { tenantRls } from '#server/db/rls.ts';
import type { NoteEnrichment, NoteLocation } from '#protocol/notes.ts';

/** The text full-text search reads; the GIN index below is on the same expression. */
export const NOTE_TSVECTOR_SQL = `to_tsvector('english', "title" || ' ' || "body")`;

/**
 * A project note, optionally on a file range. `embedding` (with the embedder that made it) lets
 * memory search find notes by meaning; `enrichment` holds the latest enrichment run's output.
 */
export const NoteRow = defineEntity({
  name: 'Note',
  tableName: 'notes',
  comment: 'Project notes (optionally on a file range), embedded for search, with their latest enrichment.',
  ...tenantRls('notes', ['select', 'insert', 'update', 'delete']),
  indexes: [
    { properties: ['projectId', 'createdAt'] },
    { name: 'notes_embedding_hnsw_index', expression: 'create index "notes_embedding_hnsw_index" on "notes" using hnsw ("embedding" vector_cosine_ops)' },
    { name: 'notes_fts_index', expression: `create index "notes_fts_index" on "notes" using gin (${NOTE_TSVECTOR_SQL})` },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    title: p.string().length(300),
    body: p.text().default(''),
    location: p.json<NoteLocation>().nullable(),
    /** Null until the background embedder has made it (docs/ai.md "Embeddings never block a write"). */
    embedding: p.type(VectorType).columnType('vector(1536)').$type<number[]>().nullable(),
    embedder: p.string().length(64).default('local-hash-v1'),
    /** Failed embedding attempts so far; the next waits longer. */
    embedAttempts: p.integer().default(0),
    /** When the sweeper may (re)try embedding this row; null once embedded. */
    embedRetryAt: p.datetime().nullable().index(),
    enrichment: p.json<NoteEnrichment>().nullable(),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type INote = InferEntity<typeof NoteRow>;
