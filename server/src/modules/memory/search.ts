// Hybrid search: vector similarity and PostgreSQL full-text search, fused by reciprocal rank
// fusion (Cormack et al., 2009): score(item) = sum over rankings of 1 / (K + rank), K = 60.
// RRF needs no score calibration between cosine similarities and ts_rank values (they are not
// comparable), and an item found by both rankings rises above one found by either alone.
import type { MemorySearchHit, MemorySearchResult, SearchRanking } from '#protocol/memory.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { embedQuery } from './embedding.ts';
import { embeddersIn, installedSources, matchingText, nearestBy, pendingVectorsIn, widenVectorScans, type Candidate } from './sources.ts';

export const RRF_K = 60;
/** Each ranking contributes this many candidates per source before fusion. */
const CANDIDATES_PER_SOURCE = 30;

const keyOf = (c: { type: string; id: string }) => `${c.type}:${c.id}`;

/** One item after fusion: its RRF score and where each ranking placed it (null: not in that ranking). */
export interface FusedItem<T> {
  item: T;
  score: number;
  vectorRank: number | null;
  textRank: number | null;
  /** The vector ranking's own score (cosine similarity), when the item was in it. */
  similarity: number | null;
}

/**
 * Fuses a vector ranking and a text ranking (each best first) by RRF, items matched by `keyOf`;
 * ties keep the vector ranking's order. Shared by every hybrid search (memory, policy clauses).
 */
export function fuseRankings<T extends { score: number }>(vectorRanking: readonly T[], textRanking: readonly T[], keyOf: (item: T) => string, limit: number): FusedItem<T>[] {
  const fused = new Map<string, FusedItem<T>>();
  const entryFor = (item: T) => {
    let entry = fused.get(keyOf(item));
    if (!entry) {
      entry = { item, score: 0, vectorRank: null, textRank: null, similarity: null };
      fused.set(keyOf(item), entry);
    }
    return entry;
  };
  vectorRanking.forEach((item, i) => {
    const entry = entryFor(item);
    entry.vectorRank = i + 1;
    entry.similarity = item.score;
    entry.score += 1 / (RRF_K + i + 1);
  });
  textRanking.forEach((item, i) => {
    const entry = entryFor(item);
    entry.textRank = i + 1;
    entry.score += 1 / (RRF_K + i + 1);
  });
  return [...fused.values()].sort((a, b) => b.score - a.score || (a.vectorRank ?? Infinity) - (b.vectorRank ?? Infinity)).slice(0, limit);
}

/** Fuses rankings (best first) into one list by RRF; ties keep the vector ranking's order. */
export function reciprocalRankFusion(vectorRanking: Candidate[], textRanking: Candidate[], limit: number): MemorySearchHit[] {
  return fuseRankings(vectorRanking, textRanking, keyOf, limit).map(({ item, score, vectorRank, textRank, similarity }) => ({
    type: item.type,
    id: item.id,
    title: item.title,
    snippet: item.snippet,
    score,
    vectorRank,
    textRank,
    similarity,
  }));
}

const bestFirst = (candidates: Candidate[]) => candidates.sort((a, b) => b.score - a.score);

export async function searchMemory(services: GatewayServices, auth: Authenticated, projectId: string, q: string, limit: number): Promise<MemorySearchResult> {
  const { orm } = services;
  await requireProject(orm, auth, projectId);
  const { sources, embedders, pendingVectors } = await withTenant(orm, auth, async (em) => {
    const sources = await installedSources(em);
    return { sources, embedders: await embeddersIn(em, sources, projectId), pendingVectors: await pendingVectorsIn(em, projectId) };
  });
  // The query is embedded once per embedder the stored vectors were made with (outside any
  // transaction). The provider being down costs the vector half of the ranking, never the answer.
  let queryVectors = new Map<string, number[]>();
  let reason: SearchRanking['reason'] = embedders.size ? null : 'vectors_pending';
  try {
    queryVectors = await embedQuery(services, auth, q, embedders);
  } catch (error) {
    services.log.warn({ err: error, projectId }, 'memory search: the query could not be embedded; ranking by text only');
    reason = 'provider_unavailable';
  }
  const { vector, text } = await withTenant(orm, auth, async (em) => {
    await widenVectorScans(em);
    const vector: Candidate[] = [];
    const text: Candidate[] = [];
    for (const source of sources) {
      for (const [embedder, queryVector] of queryVectors) vector.push(...(await nearestBy(em, source, projectId, embedder, queryVector, CANDIDATES_PER_SOURCE)));
      text.push(...(await matchingText(em, source, projectId, q, CANDIDATES_PER_SOURCE)));
    }
    return { vector, text };
  });
  const ranking: SearchRanking = { mode: queryVectors.size ? 'hybrid' : 'text-only', reason: queryVectors.size ? null : reason, pendingVectors };
  return { items: reciprocalRankFusion(bestFirst(vector), bestFirst(text), limit), searched: sources.map((s) => s.type), ranking };
}
