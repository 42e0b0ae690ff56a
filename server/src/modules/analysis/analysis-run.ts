import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { ANALYSIS_EVENT, AnalysisRunInput, type AnalysisResult, type ManifestEntry } from '#protocol/analysis.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { decodeSource } from './analyzers/source-text.ts';
import { reviewFiles, type AiReviewOutcome, type ReviewFile } from './ai-review.ts';
import { blobContents } from './blob-store.ts';
import { runBuiltinPass } from './builtin-pass.ts';
import { refreshCodePatterns } from './code-patterns.ts';
import { publishFindingsChanged } from './finding-events.ts';
import { persistFindings, type ReportedFinding } from './findings-store.ts';
import { selectRules } from './rule-set.ts';
import { Snapshot } from './snapshot.entity.ts';

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

/**
 * The `analysis` run: built-in analyzers over the snapshot (cached per blob), optionally the AI
 * review of changed files, then findings upserted by fingerprint, absent ones marked fixed, code
 * patterns recomputed, and every editor of the tenant told.
 */
export function analysisHandler(services: AnalysisServices) {
  return async (context: RunContext): Promise<AnalysisResult> => {
    const { run } = context;
    const input = AnalysisRunInput.parse(run.input);
    const snapshot = await context.withTenant((em) => em.findOne(Snapshot, { id: input.snapshotId, projectId: run.projectId }));
    if (!snapshot) throw new Error(`snapshot ${input.snapshotId} of this project no longer exists`);
    const ruleSet = selectRules(input.rules, input.includeGenerated);
    const files = snapshot.files;
    const builtin = await runBuiltinPass(context, files, ruleSet, input.ai ? 0.7 : 0.9);
    const ai: AiReviewOutcome = input.ai
      ? await aiPass(services, context, files, input.ai)
      : { status: 'skipped', reason: 'not requested', reviewed: [], findings: [] };

    const paths = new Set(files.map((file) => file.path));
    const reviewed = new Set(ai.reviewed);
    const reported: ReportedFinding[] = [...builtin.findings.map((f) => ({ ...f, source: 'builtin' as const })), ...ai.findings];
    const outcome = await context.withTenant(async (em) => {
      const persisted = await persistFindings(em, {
        tenantId: run.tenantId,
        projectId: run.projectId,
        snapshotId: snapshot.id,
        findings: reported,
        judged: (row) => !paths.has(row.path) || (row.source === 'ai' ? reviewed.has(row.path) : ruleSet.covers(row.ruleId)),
      });
      await refreshCodePatterns(em, run.tenantId, run.projectId);
      return persisted;
    });
    await context.emit(ANALYSIS_EVENT.findings, outcome);
    publishFindingsChanged(services.runs.bus, run.tenantId, { projectId: run.projectId, cause: 'analysis', findingIds: [], runId: run.id });
    return {
      snapshotId: snapshot.id,
      files: files.length,
      analyzed: builtin.analyzed,
      cacheHits: builtin.cacheHits,
      findings: outcome.total,
      opened: outcome.opened,
      fixed: outcome.fixed,
      ai: { status: ai.status, reason: ai.reason, files: ai.reviewed.length, findings: ai.findings.length },
    };
  };
}

export const analysisRunKind: RunKindDefinition<AnalysisServices> = {
  kind: ANALYSIS_RUN_KIND,
  input: AnalysisRunInput,
  references: (input) => inputReferences(Snapshot, 'snapshotId', (input as AnalysisRunInput).snapshotId),
  handler: (services) => analysisHandler(services),
};
