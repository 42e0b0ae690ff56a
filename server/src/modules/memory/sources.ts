// The stores memory search and note enrichment read, described once as SQL fragments. Table and
// column names are constants here (never user input); values are always bound parameters.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KnowledgeItemType } from '#protocol/notes.ts';
import { MEMORY_TSVECTOR_SQL } from './memory-entry.entity.ts';
import { NOTE_TSVECTOR_SQL } from '#server/modules/notes/note.entity.ts';
import { vectorLiteral } from './embedding.ts';

export type SearchableType = Exclude<KnowledgeItemType, 'consolidation'>;

export interface KnowledgeSource {
  type: SearchableType;
  table: string;
  title: string;
  snippet: string;
  tsvector: string;
  /** Present only when another feature installed it (workflow insights); checked per query. */
  optional?: boolean;
}

export const KNOWLEDGE_SOURCES: KnowledgeSource[] = [
  { type: 'memory', table: 'memory_entries', title: `left("text", 120)`, snippet: `left("text", 400)`, tsvector: MEMORY_TSVECTOR_SQL },
  { type: 'note', table: 'notes', title: `"title"`, snippet: `left("body", 400)`, tsvector: NOTE_TSVECTOR_SQL },
  {
    type: 'code_pattern',
    table: 'code_patterns',
    title: `"title"`,
    snippet: `"rule_id" || ': ' || "count" || ' open finding(s)'`,
    tsvector: `to_tsvector('english', "title" || ' ' || replace("rule_id", '-', ' '))`,
  },
  { type: 'workflow_insight', table: 'workflow_insights', title: `"title"`, snippet: `left("content", 400)`, tsvector: `to_tsvector('english', "title" || ' ' || "content")`, optional: true },
];

export interface Candidate {
  type: SearchableType;
  id: string;
  title: string;
  snippet: string;
  /** Cosine similarity (vector candidates) or ts_rank_cd (text candidates). */
  score: number;
}

/** The sources installed in this database (workflow insights only where that feature migrated). */
export async function installedSources(em: EntityManager): Promise<KnowledgeSource[]> {
  const optional = KNOWLEDGE_SOURCES.filter((s) => s.optional);
  const rows = await em.execute<{ name: string | null }[]>(
    `select to_regclass(t)::text as name from unnest(?::text[]) as t`,
    [`{${optional.map((s) => `public.${s.table}`).join(',')}}`],
  );
  const present = new Set(rows.map((r) => r.name?.replace(/^public\./, '')));
  return KNOWLEDGE_SOURCES.filter((s) => !s.optional || present.has(s.table));
}

/** Which embedders made the vectors of a project's rows, per source. */
export async function embeddersIn(em: EntityManager, sources: KnowledgeSource[], projectId: string): Promise<Set<string>> {
  const union = sources.map((s) => `select distinct embedder from "${s.table}" where project_id = ? and embedding is not null`).join(' union ');
  const rows = await em.execute<{ embedder: string }[]>(union, sources.map(() => projectId));
  return new Set(rows.map((r) => r.embedder));
}

/**
 * Lets a filtered HNSW scan keep going until it found `limit` rows of the project (pgvector >= 0.8
 * iterative scans) instead of returning fewer; transaction-local.
 */
export async function widenVectorScans(em: EntityManager): Promise<void> {
  await em.execute(`select set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '100', true)`);
}

export async function nearestBy(em: EntityManager, source: KnowledgeSource, projectId: string, embedder: string, vector: readonly number[], limit: number): Promise<Candidate[]> {
  const literal = vectorLiteral(vector);
  const rows = await em.execute<{ id: string; title: string; snippet: string; score: number }[]>(
    `select id, ${source.title} as title, ${source.snippet} as snippet, 1 - (embedding <=> ?::vector) as score
       from "${source.table}" where project_id = ? and embedder = ? and embedding is not null
      order by embedding <=> ?::vector limit ?`,
    [literal, projectId, embedder, literal, limit],
  );
  return rows.map((row) => ({ type: source.type, id: row.id, title: row.title, snippet: row.snippet, score: Number(row.score) }));
}

export async function matchingText(em: EntityManager, source: KnowledgeSource, projectId: string, query: string, limit: number): Promise<Candidate[]> {
  const rows = await em.execute<{ id: string; title: string; snippet: string; score: number }[]>(
    `select id, ${source.title} as title, ${source.snippet} as snippet, ts_rank_cd(${source.tsvector}, q) as score
       from "${source.table}", websearch_to_tsquery('english', ?) q
      where project_id = ? and ${source.tsvector} @@ q
      order by score desc, id limit ?`,
    [query, projectId, limit],
  );
  return rows.map((row) => ({ type: source.type, id: row.id, title: row.title, snippet: row.snippet, score: Number(row.score) }));
}

/** Rows of the project still waiting for a vector (only notes and memory are embedded in the background). */
export async function pendingVectorsIn(em: EntityManager, projectId: string): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `select (select count(*) from notes where project_id = ? and embedding is null) + (select count(*) from memory_entries where project_id = ? and embedding is null) as n`,
    [projectId, projectId],
  );
  return Number(row?.n ?? 0);
}
