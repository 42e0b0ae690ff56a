// Step 1 of an autofix/refactor run, "collecting context": the files exactly as the blobs the
// run starts from, the findings, the project's recurring patterns and memory, and the persona.
import { actingForRun } from '#server/modules/tenancy/service.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MemorySearchHit } from '#protocol/memory.ts';
import type { ManifestEntry } from '#protocol/analysis.ts';
import type { FileRef } from '#protocol/autofix.ts';
import type { RunContext } from '#server/modules/runs/engine/registry.ts';
import type { GatewayServices } from '#server/modules/ai/gateway.ts';
import { decodeSource } from '#server/modules/analysis/analyzers/source-text.ts';
import { blobContents } from '#server/modules/analysis/blob-store.ts';
import { CodePatternRow, type ICodePattern } from '#server/modules/analysis/code-pattern.entity.ts';
import { FindingRow, type IFinding } from '#server/modules/analysis/finding.entity.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { searchMemory } from '#server/modules/memory/search.ts';
import type { IPersona } from '#server/modules/personas/persona.entity.ts';
import { findPersonaByRef } from '#server/modules/personas/store.ts';

/** A file as the run sees it: the decoded text of its blob (a UTF-8 BOM is remembered, not part of the text). */
export interface BaseFile {
  path: string;
  blobHash: string;
  text: string;
  bom: boolean;
}

export interface ModelContext {
  persona: IPersona | null;
  patterns: ICodePattern[];
  memory: MemorySearchHit[];
}

const PATTERNS_IN_PROMPT = 5;
const MEMORY_IN_PROMPT = 5;

/** A run whose references no longer hold fails with this message (the run's error). */
export class ContextError extends Error {}

export async function loadFindings(em: EntityManager, projectId: string, ids: readonly string[]): Promise<IFinding[]> {
  const rows = await em.find(FindingRow, { id: { $in: [...ids] }, projectId });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const missing = ids.find((id) => !byId.has(id));
  if (missing) throw new ContextError(`finding ${missing} is not a finding of this project`);
  return ids.map((id) => byId.get(id)!);
}

/** The files of a snapshot that the findings are in. */
export async function filesOfSnapshot(em: EntityManager, projectId: string, snapshotId: string, paths: readonly string[]): Promise<FileRef[]> {
  const snapshot = await em.findOne(Snapshot, { id: snapshotId, projectId });
  if (!snapshot) throw new ContextError(`snapshot ${snapshotId} is not a snapshot of this project`);
  const byPath = new Map(snapshot.files.map((file: ManifestEntry) => [file.path, file]));
  return [...new Set(paths)].map((path) => {
    const entry = byPath.get(path);
    if (!entry) throw new ContextError(`${path} is not in snapshot ${snapshotId}`);
    return { path, blobHash: entry.sha256 };
  });
}

export async function readBaseFiles(em: EntityManager, refs: readonly FileRef[]): Promise<BaseFile[]> {
  const contents = await blobContents(em, [...new Set(refs.map((ref) => ref.blobHash))]);
  return refs.map((ref) => {
    const bytes = contents.get(ref.blobHash);
    if (!bytes) throw new ContextError(`blob ${ref.blobHash} of ${ref.path} is not on the server: upload it first (PUT /api/v1/blobs/${ref.blobHash})`);
    const decoded = decodeSource(bytes);
    if (decoded.kind !== 'text') throw new ContextError(`${ref.path} is ${decoded.kind === 'binary' ? 'binary' : 'not valid UTF-8'}: only text files can be changed`);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return { path: ref.path, blobHash: ref.blobHash, text: decoded.text, bom };
  });
}

/** Patterns of the findings' rules first, then those seen in the run's files, then the largest. */
async function relevantPatterns(em: EntityManager, projectId: string, ruleIds: ReadonlySet<string>, paths: ReadonlySet<string>): Promise<ICodePattern[]> {
  const rows = await em.find(CodePatternRow, { projectId }, { orderBy: { count: 'desc', ruleId: 'asc' } });
  const score = (row: ICodePattern) => (ruleIds.has(row.ruleId) ? 2 : 0) + (row.examples.some((example) => paths.has(example.path)) ? 1 : 0);
  return rows
    .map((row, order) => ({ row, order, score: score(row) }))
    .filter((item) => item.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, PATTERNS_IN_PROMPT)
    .map((item) => item.row);
}

/**
 * Memory is context, not a requirement: a failed search (no memory yet, an embedder hiccup) is
 * logged and the run goes on without it. The search is a model call at most (query embedding),
 * so it runs outside any transaction.
 */
async function projectMemory(services: GatewayServices, context: RunContext, query: string): Promise<MemorySearchHit[]> {
  const { run } = context;
  if (!run.createdBy) return [];
  try {
    // searchMemory takes an authenticated caller; the run acts for the user who started it.
    const scope = actingForRun({ id: run.id, tenantId: run.tenantId, createdBy: run.createdBy });
    return (await searchMemory(services, scope, run.projectId, query.slice(0, 2000), MEMORY_IN_PROMPT)).items;
  } catch (error) {
    context.log.warn({ err: error, runId: run.id }, 'project memory search failed; the run continues without memory');
    return [];
  }
}

export interface ModelContextRequest {
  paths: ReadonlySet<string>;
  personaRef: string | undefined;
  ruleIds: ReadonlySet<string>;
  memoryQuery: string;
}

/** What only a model needs: the persona, the project's recurring patterns and its memory. */
export async function collectModelContext(services: GatewayServices, context: RunContext, request: ModelContextRequest): Promise<ModelContext> {
  const { run } = context;
  const loaded = await context.withTenant(async (em) => {
    const persona = request.personaRef ? await findPersonaByRef(em, run.tenantId, request.personaRef) : null;
    if (request.personaRef && !persona) throw new ContextError(`persona ${JSON.stringify(request.personaRef)} does not exist in this team`);
    return { persona, patterns: await relevantPatterns(em, run.projectId, request.ruleIds, request.paths) };
  });
  return { ...loaded, memory: await projectMemory(services, context, request.memoryQuery) };
}
