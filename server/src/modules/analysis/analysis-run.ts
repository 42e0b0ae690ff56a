import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { ANALYSIS_EVENT, AnalysisRunInput, type AnalysisResult, type ManifestEntry } from '#protocol/analysis.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { decodeSource } from './analyzers/source-text.ts';
import { reviewFiles, type AiReviewOutcome, type ReviewFile } from './ai-review.ts';
import { blobContents } from './blob-store.ts';
import { runBuiltinPass } from './builtin-pass.ts';
import { patternsMatchOpenFindings, refreshCodePatterns } from './code-patterns.ts';
import { publishFindingsChanged } from './finding-events.ts';
import { persistFindings, type ReportedFinding } from './findings-store.ts';
import { RELEASE_AFTER_FILES, releaseAnalysisGarbage } from './release-garbage.ts';
import { selectRules } from './rule-set.ts';
import { Snapshot, type SnapshotDelta } from './snapshot.entity.ts';
import { diffSnapshots, lockAnalysisState, pathsInSnapshot, readAnalysisBase, readManifest, writeAnalysisState, type AnalysisBase, type ManifestDiff } from './analysis-state.ts';

export const ANALYSIS_RUN_KIND = 'analysis';
/** The AI review reads at most this many changed files per analysis (cost stays bounded on a first import). */
export const MAX_AI_FILES = 100;
/** Files larger than this are left to the built-in analyzers. */
const MAX_AI_FILE_BYTES = 200 * 1024;

type AnalysisServices = Pick<AppServices, 'orm' | 'secretBox' | 'log' | 'runs'>;

/** The manifest of the snapshot the last AI review of the project covered, if any. */
async function lastReviewedManifest(em: EntityManager, projectId: string, runId: string): Promise<ManifestEntry[] | null> {
  const [row] = await em.execute<{ files: ManifestEntry[] }[]>(
    `select s.files from runs r join snapshots s on s.id = (r.input->>'snapshotId')::uuid
      where r.project_id = ? and r.kind = ? and r.status = 'succeeded' and r.id <> ? and r.result->'ai'->>'status' = 'done'
      order by r.finished_at desc limit 1`,
    [projectId, ANALYSIS_RUN_KIND, runId],
  );
  return row?.files ?? null;
}

async function aiPass(services: AnalysisServices, context: RunContext, files: ManifestEntry[], options: NonNullable<AnalysisRunInput['ai']>): Promise<AiReviewOutcome> {
  const { run } = context;
  const previous = await context.withTenant((em) => lastReviewedManifest(em, run.projectId, run.id));
  const before = new Set((previous ?? []).map((file) => `${file.path}\0${file.sha256}`));
  const changed = files.filter((file) => !before.has(`${file.path}\0${file.sha256}`) && file.size <= MAX_AI_FILE_BYTES).slice(0, MAX_AI_FILES);
  const contents = await context.withTenant((em) => blobContents(em, [...new Set(changed.map((file) => file.sha256))]));
  const reviewable: ReviewFile[] = [];
  for (const file of changed) {
    const decoded = decodeSource(contents.get(file.sha256) ?? Buffer.alloc(0));
    if (decoded.kind === 'text') reviewable.push({ path: file.path, text: decoded.text });
  }
  const gateway = await createModelGateway(services, { tenantId: run.tenantId, userId: run.createdBy }, { runId: run.id, personaId: options.personaId });
  const outcome = await reviewFiles({
    gateway,
    files: reviewable,
    personaId: options.personaId,
    model: options.model,
    runId: run.id,
    signal: context.signal,
    onChunk: (done, total) => context.progress(0.7 + (done / total) * 0.2, `AI review: ${done} of ${total} chunks`),
  });
  await context.emit(ANALYSIS_EVENT.ai, { status: outcome.status, reason: outcome.reason, files: outcome.reviewed.length, findings: outcome.findings.length, spent: gateway.spent() });
  return outcome;
}

/** An incremental analysis' base and what changed since (decision 0024). */
interface IncrementalPlan extends AnalysisBase {
  diff: ManifestDiff;
}

/**
 * What the run works on: with a base (the project's findings reflect a run with the same rules
 * and analyzer version), only the entries that differ from its snapshot: recorded on the snapshot
 * when it was built on that one, else compared in the database; otherwise the whole manifest. The AI review judges its own files (changed since its last review), so
 * runs that ask for it go the whole way.
 */
async function plan(context: RunContext, input: AnalysisRunInput, ruleSetKey: string): Promise<{ fileCount: number; base: IncrementalPlan | null }> {
  const { run } = context;
  return context.withTenant(async (em) => {
    const [row] = await em.execute<{ file_count: number; base_snapshot_id: string | null; base_delta: SnapshotDelta | null }[]>(
      `select file_count, base_snapshot_id, base_delta from snapshots where id = ? and project_id = ?`,
      [input.snapshotId, run.projectId],
    );
    if (!row) throw new Error(`snapshot ${input.snapshotId} of this project no longer exists`);
    const base = input.ai ? null : await readAnalysisBase(em, run.projectId, ruleSetKey);
    // The snapshot was built on the one the findings reflect (a save after the last analysis): its delta is the diff.
    const recorded = base && row.base_delta && row.base_snapshot_id === base.snapshotId ? row.base_delta : null;
    const diff = base ? (recorded ?? (await diffSnapshots(em, base.snapshotId, input.snapshotId))) : null;
    return { fileCount: row.file_count, base: base && diff ? { ...base, diff } : null };
  });
}

/**
 * The `analysis` run: built-in analyzers over the snapshot (cached per blob), optionally the AI
 * review of changed files, then findings upserted by fingerprint, absent ones marked fixed, code
 * patterns recomputed, and every editor of the tenant told. When the project's findings already
 * reflect an earlier snapshot analyzed with the same rules and analyzer version, only the files
 * that differ from it are looked at, and the findings of the rest are carried over in one update
 * (incremental; the outcome is the same as a full pass, decision 0024).
 */
export function analysisHandler(services: AnalysisServices) {
  return async (context: RunContext): Promise<AnalysisResult> => {
    const { run } = context;
    const input = AnalysisRunInput.parse(run.input);
    const ruleSet = selectRules(input.rules, input.includeGenerated);
    const { fileCount, base } = await plan(context, input, ruleSet.key);
    let manifest: ManifestEntry[] | null = null;
    const wholeManifest = async () => (manifest ??= await context.withTenant((em) => readManifest(em, input.snapshotId)) ?? []);

    const pass = async (incremental: IncrementalPlan | null) => {
      const files = incremental ? null : await wholeManifest();
      const present = files && new Set(files.map((file) => file.path));
      const builtin = incremental
        ? await runBuiltinPass(context, incremental.diff.changed, ruleSet, 0.9, fileCount - incremental.diff.changed.length)
        : await runBuiltinPass(context, files!, ruleSet, input.ai ? 0.7 : 0.9);
      const ai: AiReviewOutcome = input.ai
        ? await aiPass(services, context, files!, input.ai)
        : { status: 'skipped', reason: 'not requested', reviewed: [], findings: [] };
      const reviewed = new Set(ai.reviewed);
      const reported: ReportedFinding[] = [...builtin.findings.map((f) => ({ ...f, source: 'builtin' as const })), ...ai.findings];
      const touched = incremental ? new Set([...incremental.diff.changed.map((file) => file.path), ...incremental.diff.removed]) : null;
      const persisted = await context.withTenant(async (em) => {
        const current = await lockAnalysisState(em, run.projectId);
        // Another analysis wrote the findings since the plan: the diff no longer describes them.
        if (incremental && current !== incremental.runId) return null;
        const outcome = await persistFindings(em, {
          tenantId: run.tenantId,
          projectId: run.projectId,
          snapshotId: input.snapshotId,
          runId: run.id,
          findings: reported,
          judged: (row, inSnapshot) => !inSnapshot || (row.source === 'ai' ? reviewed.has(row.path) : ruleSet.covers(row.ruleId)),
          pathsInSnapshot: (paths) => (present ? Promise.resolve(new Set(paths.filter((path) => present.has(path)))) : pathsInSnapshot(em, input.snapshotId, paths)),
          incremental: incremental && touched ? { paths: touched, baseRunId: incremental.runId } : undefined,
        });
        await writeAnalysisState(em, { tenantId: run.tenantId, projectId: run.projectId, runId: run.id, snapshotId: input.snapshotId, ruleSetKey: ruleSet.key });
        if (outcome.patternsAffected || !(await patternsMatchOpenFindings(em, run.projectId))) await refreshCodePatterns(em, run.tenantId, run.projectId);
        return outcome;
      });
      return persisted && { builtin, ai, persisted };
    };
    let incremental = base;
    let outcome = incremental ? await pass(incremental) : null;
    if (!outcome) {
      incremental = null;
      outcome = (await pass(null))!;
    }
    const { builtin, ai, persisted } = outcome;
    const { patternsAffected: _patterns, ...counts } = persisted;
    await context.emit(ANALYSIS_EVENT.findings, counts);
    publishFindingsChanged(services.runs.bus, run.tenantId, { projectId: run.projectId, cause: 'analysis', findingIds: [], runId: run.id });
    if (builtin.analyzed >= RELEASE_AFTER_FILES) await releaseAnalysisGarbage();
    return {
      snapshotId: input.snapshotId,
      files: fileCount,
      analyzed: builtin.analyzed,
      cacheHits: builtin.cacheHits,
      findings: persisted.total,
      opened: persisted.opened,
      fixed: persisted.fixed,
      ai: { status: ai.status, reason: ai.reason, files: ai.reviewed.length, findings: ai.findings.length },
      incremental: incremental ? { baseRunId: incremental.runId, changed: incremental.diff.changed.length, removed: incremental.diff.removed.length } : null,
    };
  };
}

export const analysisRunKind: RunKindDefinition<AnalysisServices> = {
  kind: ANALYSIS_RUN_KIND,
  input: AnalysisRunInput,
  references: (input) => inputReferences(Snapshot, 'snapshotId', (input as AnalysisRunInput).snapshotId),
  handler: (services) => analysisHandler(services),
};
