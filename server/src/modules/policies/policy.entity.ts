import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { tenantRls } from '#server/db/rls.ts';
import type { PolicyFormat } from '#protocol/policies.ts';

/** What clause full-text search reads; the GIN index below is on the same expression. */
export const CLAUSE_TSVECTOR_SQL = `to_tsvector('english', "number" || ' ' || "title" || ' ' || "text")`;

/**
 * A policy as the team names it. Its versions are immutable; `latestVersionId` is the one search,
 * reviews and `{{policies}}` read. The key matches a new upload to the document it is a version of.
 */
export const PolicyDocumentRow = defineEntity({
  name: 'PolicyDocument',
  tableName: 'policy_documents',
  comment: 'A tenant\'s policy documents (security, privacy), each with immutable versions split into clauses.',
  ...tenantRls('policy_documents', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId', 'key'] }, { properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    key: p.string().length(63),
    title: p.string().length(300),
    latestVersion: p.integer(),
    latestVersionId: p.uuid(),
    /** The latest version came from the starter set. */
    starter: p.boolean().default(false),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IPolicyDocument = InferEntity<typeof PolicyDocumentRow>;

/** One uploaded version of a policy: the extracted text it was split from, kept readable forever. */
export const PolicyVersionRow = defineEntity({
  name: 'PolicyVersion',
  tableName: 'policy_versions',
  comment: 'Immutable versions of a policy document: the extracted text and what it was uploaded as.',
  ...tenantRls('policy_versions', ['select', 'insert', 'delete']),
  uniques: [{ properties: ['documentId', 'version'] }, { properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    documentId: p.uuid(),
    version: p.integer(),
    format: p.string().$type<PolicyFormat>().length(16),
    sha256: p.string().length(64),
    bytes: p.integer(),
    text: p.text(),
    clauseCount: p.integer(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IPolicyVersion = InferEntity<typeof PolicyVersionRow>;

/**
 * A clause of one version, embedded for search (1536-d, `embedder` says by what). Saved without a
 * vector first and embedded after the commit, like memory entries (docs/ai.md).
 */
export const PolicyClauseRow = defineEntity({
  name: 'PolicyClause',
  tableName: 'policy_clauses',
  comment: 'Clauses of policy versions: number, title, text, named controls and covered CWEs; embedded for search.',
  ...tenantRls('policy_clauses', ['select', 'insert', 'update', 'delete']),
  indexes: [
    { properties: ['versionId', 'ordinal'] },
    { properties: ['documentId'] },
    { name: 'policy_clauses_embedding_hnsw_index', expression: 'create index "policy_clauses_embedding_hnsw_index" on "policy_clauses" using hnsw ("embedding" vector_cosine_ops)' },
    { name: 'policy_clauses_fts_index', expression: `create index "policy_clauses_fts_index" on "policy_clauses" using gin (${CLAUSE_TSVECTOR_SQL})` },
  ],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    documentId: p.uuid(),
    versionId: p.uuid(),
    ordinal: p.integer(),
    number: p.string().length(40),
    title: p.string().length(300),
    text: p.text(),
    controls: p.json<string[]>(),
    cwes: p.json<string[]>(),
    embedding: p.type(VectorType).columnType('vector(1536)').$type<number[]>().nullable(),
    embedder: p.string().length(64).default('local-hash-v1'),
    embedAttempts: p.integer().default(0),
    embedRetryAt: p.datetime().nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IPolicyClause = InferEntity<typeof PolicyClauseRow>;
