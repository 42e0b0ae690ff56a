import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import type { MemoryCreate, MemoryEntry as MemoryEntryDto, MemoryKind, MemoryListQuery, MemorySource } from '#protocol/memory.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { embedSavedRows, type EmbeddingServices } from './background-embedding.ts';
import { MemoryEntryRow, type IMemoryEntry } from './memory-entry.entity.ts';

/** Lists load rows without their vector. */
export function toMemoryDto(row: Pick<IMemoryEntry, 'id' | 'projectId' | 'kind' | 'text' | 'source' | 'sourceRunId' | 'embedder' | 'embedRetryAt' | 'createdBy' | 'createdAt'>): MemoryEntryDto {
  return {
    id: row.id,
    projectId: row.projectId,
    kind: row.kind,
    text: row.text,
    source: row.source,
    sourceRunId: row.sourceRunId ?? null,
    embedder: row.embedder,
    vectorPending: row.embedRetryAt != null,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listMemory(orm: Orm, auth: Authenticated, projectId: string, query: z.output<typeof MemoryListQuery>): Promise<MemoryEntryDto[]> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const where = { projectId, ...(query.kind ? { kind: query.kind } : {}), ...(query.source ? { source: query.source } : {}) };
    const rows = await em.find(MemoryEntryRow, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit, exclude: ['embedding'] });
    return rows.map(toMemoryDto);
  });
}

export async function getMemory(orm: Orm, auth: Authenticated, id: string): Promise<MemoryEntryDto> {
  const row = await withTenant(orm, auth, (em) => em.findOne(MemoryEntryRow, { id }));
  return toMemoryDto(await requireFound(orm, auth, MemoryEntryRow, 'memory entry', id, row));
}

export async function deleteMemory(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    const count = await em.nativeDelete(MemoryEntryRow, { id });
    if (count > 0) recordAudit(em, auth, 'memory.delete', 'memory_entry', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, MemoryEntryRow, 'memory entry', id, null);
}

interface NewEntry {
  projectId: string;
  kind: MemoryKind;
  text: string;
  source: MemorySource;
  sourceRunId: string | null;
}

async function insertEntries(services: EmbeddingServices, scope: TenantScope, entries: NewEntry[]): Promise<MemoryEntryDto[]> {
  // Saved first, embedded after the commit (a model call must not hold a transaction open, and
  // the provider being down must not lose what was learned); the sweeper retries what fails.
  const saved = await withTenant(services.orm, scope, async (em) => {
    const rows = entries.map((entry) => em.create(MemoryEntryRow, { ...entry, tenantId: scope.tenantId, embedding: null, embedRetryAt: new Date(), createdBy: scope.userId }));
    for (const row of rows) recordAudit(em, scope, 'memory.create', 'memory_entry', row.id, { kind: row.kind, source: row.source });
    await em.flush();
    return rows.map((row) => row.id);
  });
  await embedSavedRows(services, scope, 'memory_entries', saved);
  // Read back: the embedder is only known once the vector is made.
  const rows = await withTenant(services.orm, scope, (em) => em.find(MemoryEntryRow, { id: { $in: saved } }, { exclude: ['embedding'], orderBy: { createdAt: 'asc', id: 'asc' } }));
  const order = new Map(saved.map((id, i) => [id, i]));
  return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map(toMemoryDto);
}

export async function createMemory(services: GatewayServices, auth: Authenticated, projectId: string, input: z.output<typeof MemoryCreate>): Promise<MemoryEntryDto> {
  await requireProject(services.orm, auth, projectId);
  const [entry] = await insertEntries(services, auth, [{ projectId, kind: input.kind, text: input.text, source: 'user', sourceRunId: null }]);
  return entry!;
}

export interface RememberInput {
  projectId: string;
  runId: string;
  /** What kind of run learned it. */
  source: Exclude<MemorySource, 'user'>;
  items: { kind: MemoryKind; text: string }[];
}

/**
 * How runs write memory: an accepted fix, a discussion's decision, a workflow's convention.
 * Idempotent per run and text, so a run executed again after a crash does not remember twice.
 * Call it outside any transaction (it embeds first).
 */
export async function rememberFromRun(services: GatewayServices, scope: TenantScope, input: RememberInput): Promise<MemoryEntryDto[]> {
  const texts = [...new Map(input.items.map((item) => [item.text.trim(), item])).values()].filter((item) => item.text.trim());
  if (!texts.length) return [];
  const known = await withTenant(services.orm, scope, (em) =>
    em.find(MemoryEntryRow, { sourceRunId: input.runId, text: { $in: texts.map((t) => t.text.trim()) } }, { fields: ['id', 'text'] }),
  );
  const seen = new Set(known.map((row) => row.text));
  const fresh = texts.filter((item) => !seen.has(item.text.trim()));
  if (!fresh.length) return [];
  return insertEntries(
    services,
    scope,
    fresh.map((item) => ({ projectId: input.projectId, kind: item.kind, text: item.text.trim(), source: input.source, sourceRunId: input.runId })),
  );
}

/** One part of a remembered text (a topic, an answer, an output) on one line, cut at a word near `max`. */
export function clipForMemory(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * rememberFromRun for work that is already done and saved: a failure (the embedding provider
 * down, a database hiccup) is logged as a warning and nothing is remembered, never thrown. Memory
 * is a by-product: failing a run whose synthesis or outputs are already stored, or an apply report
 * whose files are already recorded, would report finished work as failed, and a retry would pay
 * for the model calls again just to write one entry. The cost is an entry lost, with a warning.
 */
export async function rememberFromRunOrWarn(services: GatewayServices, scope: TenantScope, input: RememberInput): Promise<MemoryEntryDto[]> {
  try {
    return await rememberFromRun(services, scope, input);
  } catch (error) {
    services.log.warn({ err: error, runId: input.runId, source: input.source }, 'could not remember what the run learned; it goes on without a memory entry');
    return [];
  }
}
