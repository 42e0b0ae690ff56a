// The apply loop: the editor applied (part of) a run's patch and says so. Each file is recorded
// once per run (a repeated report changes nothing and says so), the project's latest snapshot
// with the applied files swapped in becomes a new snapshot, and an analysis of it re-checks the
// touched files (the rest come from the analysis cache); that analysis marks fixed findings
// `fixed` and sends `findings.changed` to every editor of the tenant. Each newly applied file is
// remembered as a convention of the project (memory, source `autofix`).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, NotFoundError, ValidationError } from '#server/errors.ts';
import type { ManifestEntry } from '#protocol/analysis.ts';
import { AutofixResult, AutofixRunKind, type AppliedFile, type AppliedReport, type AppliedResult, type AutofixState, type FilePatch } from '#protocol/autofix.ts';
import type { z } from 'zod';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { ANALYSIS_RUN_KIND } from '#server/modules/analysis/analysis-run.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { blobInfo, insertBlobs, sha256Of } from '#server/modules/analysis/blob-store.ts';
import { publishFindingsChanged } from '#server/modules/analysis/finding-events.ts';
import { FindingRow } from '#server/modules/analysis/finding.entity.ts';
import { createSnapshot } from '#server/modules/analysis/snapshot-service.ts';
import { clipForMemory, rememberFromRunOrWarn } from '#server/modules/memory/service.ts';
import { Snapshot } from '#server/modules/analysis/snapshot.entity.ts';
import { toRunDto } from '#server/modules/runs/dto.ts';
import { RunRow, type IRun } from '#server/modules/runs/run.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { AutofixApplicationRow, type IAutofixApplication } from './autofix-application.entity.ts';
import { UTF8_BOM } from './validate.ts';

type ApplyServices = Pick<AppServices, 'orm' | 'runs' | 'log' | 'config' | 'secretBox'>;

/** How long an apply report waits for its memory entries before answering anyway. */
const REMEMBER_WAIT_MS = 2_000;

function toAppliedFile(row: IAutofixApplication): AppliedFile {
  return {
    path: row.path,
    newBlobHash: row.newBlobHash,
    asProposed: row.asProposed,
    appliedBy: row.appliedBy ?? null,
    appliedAt: row.createdAt.toISOString(),
    snapshotId: row.snapshotId,
    analysisRunId: row.analysisRunId ?? null,
  };
}

/** 404 for another tenant's run (with a security event), a missing one, or one of another kind. */
async function requireAutofixRun(services: ApplyServices, auth: Authenticated, runId: string): Promise<IRun> {
  const row = await withTenant(services.orm, auth, (em) => em.findOne(RunRow, { id: runId }));
  const run = await requireFound(services.orm, auth, RunRow, 'run', runId, row);
  if (!AutofixRunKind.safeParse(run.kind).success) throw new NotFoundError(`autofix or refactor run ${runId} (its kind is ${run.kind})`);
  return run;
}

export async function getAutofixState(services: ApplyServices, auth: Authenticated, runId: string): Promise<AutofixState> {
  const run = await requireAutofixRun(services, auth, runId);
  const rows = await withTenant(services.orm, auth, (em) => em.find(AutofixApplicationRow, { runId }, { orderBy: { createdAt: 'asc', path: 'asc' } }));
  const parsed = run.status === 'succeeded' ? AutofixResult.safeParse(run.result) : null;
  return { run: toRunDto(run), result: parsed?.success ? parsed.data : null, applications: rows.map(toAppliedFile) };
}

interface NewFile {
  patch: FilePatch;
  newBlobHash: string;
  asProposed: boolean;
  size: number;
}

/** The proposed content is the server's own (it computed it); anything else must have been uploaded. */
async function storeOrRequireBlobs(em: EntityManager, auth: Authenticated, files: readonly NewFile[], fieldOf: (file: NewFile) => string): Promise<void> {
  for (const file of files.filter((f) => f.asProposed)) {
    // The proposal's bytes are its text in UTF-8, with a BOM when the base file had one.
    const body = Buffer.from(file.patch.newContent, 'utf8');
    const content = [body, Buffer.concat([UTF8_BOM, body])].find((bytes) => sha256Of(bytes) === file.newBlobHash);
    if (!content) throw new Error(`the stored proposal for ${file.patch.path} does not hash to its newBlobHash`);
    await insertBlobs(em, auth.tenantId, auth.userId, [{ sha256: file.newBlobHash, content }]);
    file.size = content.length;
  }
  const uploaded = files.filter((file) => !file.asProposed);
  const present = await blobInfo(em, uploaded.map((file) => file.newBlobHash));
  for (const file of uploaded) {
    const info = present.get(file.newBlobHash);
    if (!info) {
      throw new ConflictError(`${fieldOf(file)}: ${file.patch.path} was saved with changes to the proposal; upload it first (PUT /api/v1/blobs/${file.newBlobHash})`, fieldOf(file));
    }
    file.size = info.size;
  }
}

/** The latest snapshot of the project with the applied files in place. */
async function manifestWith(em: EntityManager, projectId: string, files: readonly NewFile[]): Promise<ManifestEntry[]> {
  const latest = await em.findOne(Snapshot, { projectId }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  const byPath = new Map((latest?.files ?? []).map((entry) => [entry.path, entry]));
  for (const file of files) byPath.set(file.patch.path, { path: file.patch.path, sha256: file.newBlobHash, size: file.size });
  return [...byPath.values()];
}

/**
 * AI findings the run addressed in files applied as proposed are marked fixed here: only another
 * AI review could re-judge them, and the patch was written to fix them. Built-in findings are
 * judged by the analysis.
 */
async function markAiFindingsFixed(em: EntityManager, result: AutofixResult, appliedPaths: ReadonlySet<string>): Promise<string[]> {
  const ids = result.findings.filter((f) => appliedPaths.has(f.path)).map((f) => f.id);
  if (!ids.length) return [];
  const rows = await em.find(FindingRow, { id: { $in: ids }, source: 'ai', status: 'open' });
  for (const row of rows) row.status = 'fixed';
  return rows.map((row) => row.id);
}

async function startReanalysis(services: ApplyServices, auth: Authenticated, projectId: string, snapshotId: string): Promise<string> {
  const run = await startProjectRun(services, auth, projectId, ANALYSIS_RUN_KIND, { snapshotId });
  await withTenant(services.orm, auth, (em) => em.nativeUpdate(AutofixApplicationRow, { snapshotId, analysisRunId: null }, { analysisRunId: run.id }));
  return run.id;
}

/**
 * What an accepted patch teaches, for one applied file. Kind `convention`, not `fact`: applying it
 * says the team accepts this way of fixing this rule (or of doing this refactor) here, which later
 * fixes and reviews should follow (auto-fix runs search memory for context); the state of the code
 * itself is what the file and the re-analysis already say.
 */
function acceptedFixOf(result: AutofixResult, file: AppliedFile): string {
  const edited = file.asProposed ? '' : " (applied with the user's own changes)";
  const explanation = result.mode === 'deterministic' ? "the analyzer's own fix" : clipForMemory(result.rationale, 600);
  if (result.kind === 'refactor') return `Accepted refactor of ${file.path}${edited} ("${clipForMemory(result.instruction ?? '', 200)}"): ${explanation}`;
  // A patch may touch a file none of its findings is in: then it belongs to all of them.
  const inFile = result.findings.filter((f) => f.path === file.path);
  const findings = (inFile.length ? inFile : result.findings)
    .map((f) => `${f.ruleId} at ${f.path === file.path ? `line ${f.line}` : `${f.path}:${f.line}`} (${f.message})`)
    .join('; ');
  return `Accepted fix in ${file.path}${edited} for ${clipForMemory(findings, 400)}: ${explanation}`;
}

export async function reportApplied(services: ApplyServices, auth: Authenticated, runId: string, body: z.output<typeof AppliedReport>): Promise<AppliedResult> {
  const run = await requireAutofixRun(services, auth, runId);
  if (run.status !== 'succeeded') throw new ConflictError(`run ${runId} is ${run.status}: only the patch of a succeeded run can be applied`);
  const result = AutofixResult.parse(run.result);
  const requested = body.files.map((file, index) => {
    const patch = result.files.find((p) => p.path === file.path);
    if (!patch) throw new ValidationError(`files.${index}.path: ${file.path} is not part of this run's patch (${result.files.map((p) => p.path).join(', ')})`, `files.${index}.path`);
    return { index, patch, newBlobHash: file.newBlobHash, asProposed: file.newBlobHash === patch.newBlobHash, size: 0 };
  });
  const fieldOf = (file: NewFile) => `files.${requested.find((r) => r.patch === file.patch)!.index}.newBlobHash`;

  const before = await withTenant(services.orm, auth, async (em) => {
    const existing = new Map((await em.find(AutofixApplicationRow, { runId })).map((row) => [row.path, row]));
    const fresh: NewFile[] = [];
    for (const file of requested) {
      const row = existing.get(file.patch.path);
      if (row && row.newBlobHash !== file.newBlobHash) {
        throw new ConflictError(`files.${file.index}.newBlobHash: ${file.patch.path} was already reported applied as blob ${row.newBlobHash}`, `files.${file.index}.newBlobHash`);
      }
      if (!row) fresh.push(file);
    }
    if (fresh.length) await storeOrRequireBlobs(em, auth, fresh, fieldOf);
    return { fresh, manifest: fresh.length ? await manifestWith(em, run.projectId, fresh) : [] };
  });

  let snapshotId: string | null = null;
  let fixedFindingIds: string[] = [];
  if (before.fresh.length) {
    snapshotId = (await createSnapshot(services.orm, auth, run.projectId, { files: before.manifest, source: 'workspace' }, { maxBlobBytes: services.config.maxBlobBytes })).id;
    fixedFindingIds = await withTenant(services.orm, auth, async (em) => {
      for (const file of before.fresh) {
        // A concurrent report of the same file won the race: this one records nothing for it.
        await em.execute(
          `insert into autofix_applications (id, tenant_id, run_id, project_id, path, base_blob_hash, new_blob_hash, as_proposed, snapshot_id, applied_by, created_at)
           values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (run_id, path) do nothing`,
          [auth.tenantId, runId, run.projectId, file.patch.path, file.patch.baseBlobHash, file.newBlobHash, file.asProposed, snapshotId, auth.userId],
        );
      }
      const fixed = await markAiFindingsFixed(em, result, new Set(before.fresh.filter((f) => f.asProposed).map((f) => f.patch.path)));
      recordAudit(em, auth, 'autofix.applied', 'run', runId, { files: before.fresh.map((f) => f.patch.path), snapshotId });
      await em.flush();
      return fixed;
    });
    if (fixedFindingIds.length) publishFindingsChanged(services.runs.bus, auth.tenantId, { projectId: run.projectId, cause: 'analysis', findingIds: fixedFindingIds, runId });
  }

  // Also picks up a report whose analysis did not start (the server stopped in between).
  const rows = await withTenant(services.orm, auth, (em) => em.find(AutofixApplicationRow, { runId, path: { $in: requested.map((r) => r.patch.path) } }));
  const unanalyzed = [...new Set(rows.filter((row) => !row.analysisRunId).map((row) => row.snapshotId))];
  let analysisRunId: string | null = null;
  for (const id of unanalyzed) analysisRunId = await startReanalysis(services, auth, run.projectId, id);
  const current = await withTenant(services.orm, auth, (em) => em.find(AutofixApplicationRow, { runId, path: { $in: requested.map((r) => r.patch.path) } }, { orderBy: { path: 'asc' } }));

  const applied = current.filter((row) => row.snapshotId === snapshotId).map(toAppliedFile);
  const alreadyApplied = current.filter((row) => row.snapshotId !== snapshotId).map(toAppliedFile);
  analysisRunId ??= applied[0]?.analysisRunId ?? null;
  const changed = applied.length > 0;
  // Only the files this report recorded: a repeated report (or the loser of a concurrent one) has
  // none, so a fix is remembered once. Remembering may fail without failing the report: the files
  // are recorded and re-analysis started, and an error here would tell the editor its apply failed.
  if (changed) {
    const items = applied.map((file) => ({ kind: 'convention' as const, text: acceptedFixOf(result, file) }));
    const remembering = rememberFromRunOrWarn(services, auth, { projectId: run.projectId, runId, source: 'autofix', items });
    // The editor waits on this answer and memory is a by-product: an embedding usually takes a
    // fraction of a second, but a slow provider finishes in the background instead of holding the
    // apply up (rememberFromRunOrWarn never rejects).
    await Promise.race([remembering, new Promise((resolve) => setTimeout(resolve, REMEMBER_WAIT_MS).unref())]);
  }
  const message = changed
    ? `Recorded ${applied.length} file(s) as applied and started re-analysis (run ${analysisRunId})` +
      (alreadyApplied.length ? `; ${alreadyApplied.length} file(s) had been reported before and were not applied twice.` : '.')
    : `Nothing applied twice: ${alreadyApplied.map((f) => f.path).join(', ')} had already been reported applied; nothing changed.`;
  return { runId, applied, alreadyApplied, changed, message, analysisRunId, fixedFindingIds };
}
