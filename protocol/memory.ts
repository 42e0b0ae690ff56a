import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { KnowledgeItemType } from './notes.ts';

export const MemoryKind = z.enum(['decision', 'convention', 'fact']);
export type MemoryKind = z.infer<typeof MemoryKind>;

/** Who wrote it: a person through the API, or a run of that kind (`rememberFromRun`). */
export const MemorySource = z.enum(['user', 'autofix', 'discussion', 'workflow']);
export type MemorySource = z.infer<typeof MemorySource>;

export const MemoryEntry = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  kind: MemoryKind,
  text: z.string(),
  source: MemorySource,
  /** The run that remembered it; null for entries written by a person. */
  sourceRunId: z.uuid().nullable(),
  /** Which embedder made its vector (`local-hash-v1` or `openai:text-embedding-3-small`). */
  embedder: z.string(),
  /** Saved, but its vector is not made yet (provider down or slow): found by text until it is. */
  vectorPending: z.boolean(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

export const MemoryCreate = z.strictObject({
  kind: MemoryKind,
  text: z.string().trim().min(1).max(10_000),
});
export type MemoryCreate = z.input<typeof MemoryCreate>;

export const MemoryListQuery = z.strictObject({
  kind: MemoryKind.optional(),
  source: MemorySource.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const MemoryList = z.object({ items: z.array(MemoryEntry) });
export const MemoryIdParams = z.object({ id: z.uuid() });

export const MemorySearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(1000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

/**
 * One search result. `score` is the reciprocal-rank-fusion score (docs/reports-and-notes.md):
 * the sum over the vector and full-text rankings of 1 / (60 + rank); a rank is null when the item
 * was not in that ranking's top candidates.
 */
export const MemorySearchHit = z.object({
  type: KnowledgeItemType.exclude(['consolidation']),
  id: z.uuid(),
  title: z.string(),
  snippet: z.string(),
  score: z.number(),
  vectorRank: z.number().int().nullable(),
  textRank: z.number().int().nullable(),
  /** Cosine similarity to the query when the item has a comparable vector. */
  similarity: z.number().nullable(),
});
export type MemorySearchHit = z.infer<typeof MemorySearchHit>;

/**
 * How a search ranked its results. `hybrid`: vectors and full text, fused. `text-only`: full text
 * alone, because the query could not be embedded (`provider_unavailable`) or no stored item has a
 * vector yet (`vectors_pending`). `pendingVectors` counts items still waiting for one: they are
 * found by their text only until the background embedder catches up.
 */
export const SearchRanking = z.object({
  mode: z.enum(['hybrid', 'text-only']),
  reason: z.enum(['provider_unavailable', 'vectors_pending']).nullable(),
  pendingVectors: z.number().int(),
});
export type SearchRanking = z.infer<typeof SearchRanking>;

export const MemorySearchResult = z.object({
  items: z.array(MemorySearchHit),
  /** Stores that were searched (workflow insights only where that feature is installed). */
  searched: z.array(KnowledgeItemType),
  ranking: SearchRanking,
});
export type MemorySearchResult = z.infer<typeof MemorySearchResult>;

/** A recurring theme: memory entries of a project that say nearly the same thing (cosine >= threshold). */
export const ConsolidationPattern = z.object({
  /** The oldest entry's id: stable while the cluster keeps it. */
  id: z.uuid(),
  theme: z.string(),
  entryIds: z.array(z.uuid()),
  kinds: z.array(MemoryKind),
  /** Mean pairwise cosine similarity inside the cluster. */
  cohesion: z.number(),
});
export type ConsolidationPattern = z.infer<typeof ConsolidationPattern>;

export const ConsolidationList = z.object({ items: z.array(ConsolidationPattern), threshold: z.number() });

export const memoryRoutes = {
  list: route({ method: 'get', path: '/api/v1/projects/:id/memory', params: ProjectIdParams, summary: 'List a project\'s memory entries, newest first', auth: true, query: MemoryListQuery, response: MemoryList }),
  create: route({ method: 'post', path: '/api/v1/projects/:id/memory', params: ProjectIdParams, errors: [402, 409, 502, 503], summary: 'Remember a decision, convention or fact', auth: true, body: MemoryCreate, response: MemoryEntry, status: 201 }),
  search: route({ method: 'get', path: '/api/v1/projects/:id/memory/search', params: ProjectIdParams, errors: [402, 409, 502, 503], summary: 'Hybrid search (vector + full text, fused by RRF) over memory, code patterns, workflow insights and notes', auth: true, query: MemorySearchQuery, response: MemorySearchResult }),
  consolidation: route({ method: 'get', path: '/api/v1/projects/:id/memory/consolidation', params: ProjectIdParams, summary: 'Recurring themes: clusters of near-duplicate memory entries', auth: true, response: ConsolidationList }),
  get: route({ method: 'get', path: '/api/v1/memory/:id', params: MemoryIdParams, summary: 'Get a memory entry', auth: true, response: MemoryEntry }),
  remove: route({ method: 'delete', path: '/api/v1/memory/:id', params: MemoryIdParams, summary: 'Forget a memory entry', auth: true, status: 204 }),
};
