// Retrieval quality of the policy search on the labelled query set (test/fixtures/policies/):
// shared by bench:policies and the floor test (test/server/policies/retrieval-floor.test.ts).
// Every query goes through the real route, GET /api/v1/policies/search, as an editor sends it.
// The route answers each hit with its place in the vector ranking and in the full-text ranking
// as well as the fused one, so one call scores three searches on the same data: hybrid (what
// users get), text-only (the baseline: what the route answers while vectors are missing, the
// same full-text ranking unfused) and vector-only.
import { readFileSync } from 'node:fs';
import type { PolicyDocument, PolicyDocumentSummary, PolicySearchHit, PolicySearchResult } from '#protocol/policies.ts';
import { api } from '../test/server/helpers/http.ts';

export const QUERY_SET = new URL('../test/fixtures/policies/queries.json', import.meta.url);

/** How many hits count as "found": recall@5, the target's depth. */
export const RECALL_DEPTH = 5;
/** Reciprocal ranks below this depth count 0 (MRR@10). Both rankings' first 10 always survive fusion into a 50-hit answer. */
export const MRR_DEPTH = 10;
/** Hits asked for per query: the route's maximum, so the text and vector ranks to MRR_DEPTH are all present. */
const SEARCH_LIMIT = 50;

export interface LabelledQuery {
  q: string;
  /** The clauses that answer it: starter document key and clause number. */
  answers: { doc: string; clause: string }[];
}

export const SEARCHES = ['hybrid', 'text', 'vector'] as const;
export type Search = (typeof SEARCHES)[number];

/** Where the first clause that answers a query came, per search (1-based; null: not in the first MRR_DEPTH). */
export interface QueryOutcome {
  query: LabelledQuery;
  rank: Record<Search, number | null>;
  /** The first three hybrid hits, `key/number`, to see what won instead. */
  top: string[];
}

export interface Quality {
  recallAt5: number;
  mrr: number;
}

export function readQueries(): LabelledQuery[] {
  const parsed = JSON.parse(readFileSync(QUERY_SET, 'utf8')) as { queries: LabelledQuery[] };
  return parsed.queries;
}

const citation = (doc: string, clause: string) => `${doc}/${clause}`;

/**
 * Installs the starter set for the tenant and waits until every clause has its vector (the
 * background embedder makes them), so the hybrid search is measured, not its text-only fallback.
 */
export async function installStarterSet(url: string, token: string, timeoutMs = 120_000): Promise<PolicyDocumentSummary[]> {
  const installed = await api(url, 'POST', '/api/v1/policies/starter', { token });
  if (installed.status !== 200 && installed.status !== 201) throw new Error(`installing the starter set answered ${installed.status}: ${JSON.stringify(installed.body)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await api<PolicySearchResult>(url, 'GET', '/api/v1/policies/search?q=policy&limit=1', { token });
    if (probe.status !== 200) throw new Error(`search answered ${probe.status}: ${JSON.stringify(probe.body)}`);
    if (probe.body.ranking.pendingVectors === 0 && probe.body.ranking.mode === 'hybrid') break;
    if (Date.now() > deadline) throw new Error(`clause vectors still pending after ${timeoutMs} ms (${probe.body.ranking.pendingVectors} left, mode ${probe.body.ranking.mode})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return (await api<{ items: PolicyDocumentSummary[] }>(url, 'GET', '/api/v1/policies', { token })).body.items;
}

/** Fails when a label names a clause the installed set does not have (a renumbered starter policy). */
export async function checkLabels(url: string, token: string, queries: readonly LabelledQuery[]): Promise<void> {
  const documents = (await api<{ items: PolicyDocumentSummary[] }>(url, 'GET', '/api/v1/policies', { token })).body.items;
  const known = new Set<string>();
  for (const summary of documents) {
    const document = (await api<PolicyDocument>(url, 'GET', `/api/v1/policies/${summary.id}`, { token })).body;
    for (const clause of document.clauses) known.add(citation(document.key, clause.number));
  }
  const missing = queries.flatMap((query) => query.answers.map((a) => citation(a.doc, a.clause))).filter((label) => !known.has(label));
  if (missing.length) throw new Error(`the query set names clauses the starter set does not have: ${[...new Set(missing)].join(', ')} (installed: ${[...known].join(', ')})`);
}

export async function runQueries(url: string, token: string, queries: readonly LabelledQuery[]): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const path = `/api/v1/policies/search?${new URLSearchParams({ q: query.q, limit: String(SEARCH_LIMIT) })}`;
    const response = await api<PolicySearchResult>(url, 'GET', path, { token });
    if (response.status !== 200) throw new Error(`search for "${query.q}" answered ${response.status}: ${JSON.stringify(response.body)}`);
    outcomes.push(outcomeOf(query, response.body.items));
  }
  return outcomes;
}

export function outcomeOf(query: LabelledQuery, hits: readonly PolicySearchHit[]): QueryOutcome {
  const answers = new Set(query.answers.map((a) => citation(a.doc, a.clause)));
  const answering = hits.filter((hit) => answers.has(citation(hit.documentKey, hit.number)));
  const best = (ranks: (number | null)[]) => {
    const found = ranks.filter((rank): rank is number => rank !== null && rank <= MRR_DEPTH);
    return found.length ? Math.min(...found) : null;
  };
  return {
    query,
    rank: {
      hybrid: best(answering.map((hit) => hits.indexOf(hit) + 1)),
      text: best(answering.map((hit) => hit.textRank)),
      vector: best(answering.map((hit) => hit.vectorRank)),
    },
    top: hits.slice(0, 3).map((hit) => citation(hit.documentKey, hit.number)),
  };
}

export function qualityOf(outcomes: readonly QueryOutcome[], search: Search): Quality {
  const found = outcomes.filter((o) => o.rank[search] !== null && o.rank[search] <= RECALL_DEPTH).length;
  const reciprocal = outcomes.reduce((sum, o) => sum + (o.rank[search] === null ? 0 : 1 / o.rank[search]), 0);
  return { recallAt5: found / outcomes.length, mrr: reciprocal / outcomes.length };
}
