// Embeddings never block a write (issue #14). A note or memory entry is committed first, with no
// vector and embed_retry_at = now. Then:
// - the request that saved it tries to embed it for a short while (NYX_EMBED_INLINE_MS), so in
//   the normal case the vector is there when the 201 goes out;
// - whatever is still missing a vector (provider down, slow, key rejected, server restarted
//   mid-way) is picked up by the sweeper below, retried with exponential backoff. The state lives
//   in the rows themselves, so it survives restarts and works across instances (a claim is a
//   lease: embed_retry_at pushed into the future, so two sweepers never embed one row at once).
// Search meanwhile ranks such rows by text only and says so (search.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemEm, withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { vectorLiteral } from './embedding.ts';

/** Tables whose rows are embedded after they are saved (policy clauses: server/src/modules/policies). */
export type EmbeddableTable = 'notes' | 'memory_entries' | 'policy_clauses';

interface PendingRow {
  id: string;
  tenant_id: string;
  text: string;
  /** Notes change; a vector made from older text must not land on newer text. */
  version: string | null;
}

/** How long a claimed row stays out of other sweepers' reach while it is being embedded. */
const CLAIM_LEASE_SECONDS = 120;
const SWEEP_BATCH = 50;
const BASE_BACKOFF_SECONDS = 5;
const MAX_BACKOFF_SECONDS = 3600;

/** What a row's vector describes, in SQL; the same text notes/service.ts and memory/service.ts embed in JS. */
const TEXT_SQL: Record<EmbeddableTable, string> = {
  notes: `concat_ws(E'\\n', nullif("title", ''), nullif("body", ''), 'File: ' || ("location"->>'path'))`,
  memory_entries: `"kind" || ': ' || "text"`,
  // The document's title too: "Retention" means more under "Logging and monitoring".
  policy_clauses: `concat_ws(E'\\n', (select d."title" from "policy_documents" d where d."id" = "document_id"), "number" || ' ' || "title", "text")`,
};
const VERSION_SQL: Record<EmbeddableTable, string> = { notes: `"updated_at"::text`, memory_entries: `null::text`, policy_clauses: `null::text` };

export function backoffSeconds(attempts: number): number {
  return Math.min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** Math.max(0, attempts - 1));
}

async function storeVectors(em: EntityManager, table: EmbeddableTable, rows: PendingRow[], embedder: string, vectors: number[][]): Promise<void> {
  for (const [i, row] of rows.entries()) {
    await em.execute(
      `update "${table}" set embedding = ?::vector, embedder = ?, embed_attempts = 0, embed_retry_at = null
        where id = ? and embedding is null and ${VERSION_SQL[table]} is not distinct from ?`,
      [vectorLiteral(vectors[i]!), embedder, row.id, row.version],
    );
  }
}

async function scheduleRetry(em: EntityManager, table: EmbeddableTable, ids: string[]): Promise<void> {
  // The backoff is computed in SQL from the row's own count, so each row waits by its own history.
  await em.execute(
    `update "${table}" set embed_attempts = embed_attempts + 1,
            embed_retry_at = now() + make_interval(secs => least(?, ? * power(2, embed_attempts)))
      where id = any(?::uuid[]) and embedding is null`,
    [MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS, `{${ids.join(',')}}`],
  );
}

async function embedRows(services: GatewayServices, scope: TenantScope, rows: PendingRow[], signal?: AbortSignal): Promise<{ embedder: string; vectors: number[][] }> {
  const gateway = await createModelGateway(services, scope);
  const { embedderId, vectors } = await gateway.embeddings.embed(rows.map((r) => r.text), signal ? { signal } : {});
  return { embedder: embedderId, vectors: vectors.map((v) => Array.from(v)) };
}

async function pendingIn(em: EntityManager, table: EmbeddableTable, ids: string[]): Promise<PendingRow[]> {
  return em.execute<PendingRow[]>(
    `select id, tenant_id, ${TEXT_SQL[table]} as text, ${VERSION_SQL[table]} as version from "${table}" where id = any(?::uuid[]) and embedding is null`,
    [`{${ids.join(',')}}`],
  );
}

/**
 * After the rows committed: embed them within `budgetMs`, or leave them to the sweeper with a
 * retry scheduled. Never throws: the rows are already saved, which is what the caller promised.
 */
/** Services that may carry the config (a route's AppServices); without it the default budget applies. */
export type EmbeddingServices = GatewayServices & { config?: { embedInlineMs: number } };
const DEFAULT_INLINE_MS = 2_000;

export async function embedSavedRows(services: EmbeddingServices, scope: TenantScope, table: EmbeddableTable, ids: string[]): Promise<boolean> {
  if (!ids.length) return true;
  try {
    const rows = await withTenant(services.orm, scope, (em) => pendingIn(em, table, ids));
    if (!rows.length) return true;
    const { embedder, vectors } = await embedRows(services, scope, rows, AbortSignal.timeout(services.config?.embedInlineMs ?? DEFAULT_INLINE_MS));
    await withTenant(services.orm, scope, (em) => storeVectors(em, table, rows, embedder, vectors));
    return true;
  } catch (error) {
    services.log.warn({ err: error, table, count: ids.length }, 'saved without a vector; the background embedder will retry');
    await withTenant(services.orm, scope, (em) => scheduleRetry(em, table, ids)).catch(() => undefined);
    return false;
  }
}

/** One pass over one table: claims due rows (system context, every tenant), embeds them per tenant. */
export async function sweepTable(services: GatewayServices, table: EmbeddableTable, limit = SWEEP_BATCH): Promise<{ embedded: number; failed: number }> {
  const claimed = await systemEm(services.orm).execute<PendingRow[]>(
    `update "${table}" set embed_retry_at = now() + make_interval(secs => ?)
      where id in (select id from "${table}" where embedding is null and embed_retry_at <= now()
                    order by embed_retry_at limit ? for update skip locked)
      returning id, tenant_id, ${TEXT_SQL[table]} as text, ${VERSION_SQL[table]} as version`,
    [CLAIM_LEASE_SECONDS, limit],
  );
  const byTenant = Map.groupBy(claimed, (row) => row.tenant_id);
  let embedded = 0;
  let failed = 0;
  for (const [tenantId, rows] of byTenant) {
    const scope = { tenantId, userId: null };
    try {
      const { embedder, vectors } = await embedRows(services, scope, rows);
      await withTenant(services.orm, scope, (em) => storeVectors(em, table, rows, embedder, vectors));
      embedded += rows.length;
    } catch (error) {
      failed += rows.length;
      services.log.warn({ err: error, table, tenantId, count: rows.length }, 'background embedding failed; retrying later');
      await withTenant(services.orm, scope, (em) => scheduleRetry(em, table, rows.map((r) => r.id))).catch(() => undefined);
    }
  }
  return { embedded, failed };
}

export async function sweepPendingEmbeddings(services: GatewayServices): Promise<{ embedded: number; failed: number }> {
  const total = { embedded: 0, failed: 0 };
  for (const table of ['notes', 'memory_entries', 'policy_clauses'] as const) {
    const { embedded, failed } = await sweepTable(services, table);
    total.embedded += embedded;
    total.failed += failed;
  }
  return total;
}

/** The sweeper's timer; returns its stop. One pass at a time: a slow provider never stacks passes. */
export function startEmbeddingSweeper(services: GatewayServices & { config: { embedSweepMs: number } }): () => void {
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    sweepPendingEmbeddings(services)
      .catch((error) => services.log.warn({ err: error }, 'embedding sweep failed'))
      .finally(() => (running = false));
  }, services.config.embedSweepMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
