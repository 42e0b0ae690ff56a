// Clause search: the vector and full-text rankings of memory search (memory/search.ts), over the
// latest version of each policy, fused by the same reciprocal rank fusion. `searchClauses` is the
// service function the API, reviews, `{{policies}}` and bench:policies call.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PolicySearchHit, PolicySearchResult } from '#protocol/policies.ts';
import type { SearchRanking } from '#protocol/memory.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { embedQuery, vectorLiteral } from '#server/modules/memory/embedding.ts';
import { fuseRankings } from '#server/modules/memory/search.ts';
import { widenVectorScans } from '#server/modules/memory/sources.ts';
import { CLAUSE_TSVECTOR_SQL } from './policy.entity.ts';

/** Each ranking contributes this many candidates before fusion. */
const CANDIDATES = 40;

interface ClauseCandidate {
  clauseId: string;
  documentId: string;
  documentKey: string;
  documentTitle: string;
  versionId: string;
  version: number;
  number: string;
  title: string;
  snippet: string;
  controls: string[];
  cwes: string[];
  score: number;
}

export interface ClauseSearchOptions {
  limit: number;
  documentId?: string | undefined;
  /** Only these documents (a review's selection). */
  documentIds?: readonly string[] | undefined;
  /** Stamped on the embedding call (a review's run). */
  runId?: string | undefined;
}

/** Latest versions only, optionally one document or a set; bound values follow `args`. */
function scopeSql(options: ClauseSearchOptions, args: unknown[]): string {
  const parts = [`c.version_id = d.latest_version_id`];
  if (options.documentId) {
    parts.push(`d.id = ?`);
    args.push(options.documentId);
  }
  if (options.documentIds?.length) {
    parts.push(`d.id = any(?::uuid[])`);
    args.push(`{${options.documentIds.join(',')}}`);
  }
  return parts.join(' and ');
}

const COLUMNS = `c.id as "clauseId", d.id as "documentId", d.key as "documentKey", d.title as "documentTitle", c.version_id as "versionId",
  d.latest_version as version, c.number, c.title, left(c.text, 400) as snippet, c.controls, c.cwes`;

async function nearestClauses(em: EntityManager, embedder: string, vector: readonly number[], options: ClauseSearchOptions): Promise<ClauseCandidate[]> {
  const literal = vectorLiteral(vector);
  const args: unknown[] = [literal, embedder];
  const where = scopeSql(options, args);
  const rows = await em.execute<ClauseCandidate[]>(
    `select ${COLUMNS}, 1 - (c.embedding <=> ?::vector) as score
       from policy_clauses c join policy_documents d on d.id = c.document_id
      where c.embedder = ? and c.embedding is not null and ${where}
      order by c.embedding <=> ?::vector limit ?`,
    [...args, literal, CANDIDATES],
  );
  return rows.map((row) => ({ ...row, score: Number(row.score) }));
}

/** Equal text scores (a short query often gives several) rank in document order, the same every time. */
async function matchingClauses(em: EntityManager, query: string, options: ClauseSearchOptions): Promise<ClauseCandidate[]> {
  const args: unknown[] = [query];
  const where = scopeSql(options, args);
  const tsvector = CLAUSE_TSVECTOR_SQL.replace(/"(number|title|text)"/g, 'c."$1"');
  const rows = await em.execute<ClauseCandidate[]>(
    `select ${COLUMNS}, ts_rank_cd(${tsvector}, q) as score
       from policy_clauses c join policy_documents d on d.id = c.document_id, websearch_to_tsquery('english', ?) q
      where ${tsvector} @@ q and ${where}
      order by score desc, d.key, c.ordinal limit ?`,
    [...args, CANDIDATES],
  );
  return rows.map((row) => ({ ...row, score: Number(row.score) }));
}

/**
 * Every word of the query, OR-ed: websearch_to_tsquery ANDs the words, so a question in plain
 * language ("how long do we keep logs?") matches almost nothing. Clauses that share more words rank higher.
 */
export function anyWordQuery(query: string): string {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return [...new Set(words)].join(' or ');
}

export async function searchClauses(services: GatewayServices, scope: TenantScope, q: string, options: ClauseSearchOptions): Promise<PolicySearchResult> {
  const { orm } = services;
  const { embedders, pendingVectors } = await withTenant(orm, scope, async (em) => {
    const args: unknown[] = [];
    const where = scopeSql(options, args);
    const rows = await em.execute<{ embedder: string; pending: number; embedded: number }[]>(
      `select c.embedder, count(*) filter (where c.embedding is null) as pending, count(*) filter (where c.embedding is not null) as embedded
         from policy_clauses c join policy_documents d on d.id = c.document_id where ${where} group by c.embedder`,
      args,
    );
    return {
      embedders: new Set(rows.filter((row) => Number(row.embedded) > 0).map((row) => row.embedder)),
      pendingVectors: rows.reduce((sum, row) => sum + Number(row.pending), 0),
    };
  });
  let queryVectors = new Map<string, number[]>();
  let reason: SearchRanking['reason'] = embedders.size ? null : 'vectors_pending';
  try {
    queryVectors = await embedQuery(services, scope, q, embedders, options.runId);
  } catch (error) {
    services.log.warn({ err: error }, 'policy search: the query could not be embedded; ranking by text only');
    reason = 'provider_unavailable';
  }
  const textQuery = anyWordQuery(q);
  const { vector, text } = await withTenant(orm, scope, async (em) => {
    await widenVectorScans(em);
    const vector: ClauseCandidate[] = [];
    for (const [embedder, queryVector] of queryVectors) vector.push(...(await nearestClauses(em, embedder, queryVector, options)));
    const text = textQuery ? await matchingClauses(em, textQuery, options) : [];
    return { vector: vector.sort((a, b) => b.score - a.score), text };
  });
  const items: PolicySearchHit[] = fuseRankings(vector, text, (c) => c.clauseId, options.limit).map(({ item, score, vectorRank, textRank, similarity }) => {
    const { score: _raw, ...clause } = item;
    return { ...clause, version: Number(clause.version), score, vectorRank, textRank, similarity };
  });
  const ranking: SearchRanking = { mode: queryVectors.size ? 'hybrid' : 'text-only', reason: queryVectors.size ? null : reason, pendingVectors };
  return { items, ranking };
}

/** Does the tenant have any policy (so `{{policies}}` and reviews have something to read)? */
export async function hasPolicies(services: { orm: GatewayServices['orm'] }, scope: TenantScope): Promise<boolean> {
  const rows = await withTenant(services.orm, scope, (em) => em.execute<{ n: number }[]>(`select count(*) as n from policy_documents`));
  return Number(rows[0]?.n ?? 0) > 0;
}
