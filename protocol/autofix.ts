import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { ManifestPath, Sha256 } from './analysis.ts';
import { Language, SourceRange, TextEdit } from './findings.ts';
import { Run, RunCreated } from './runs.ts';

/**
 * Auto-fix and refactor runs (docs/autofix.md). A run proposes a patch per file as text edits
 * against the exact blob the run started from; the editor previews it, applies it, and reports
 * back with `applied`, after which the server re-analyzes the touched files and marks fixed
 * findings `fixed`.
 *
 * Positions follow protocol/findings.ts: 1-based lines, 1-based UTF-16 columns, end exclusive.
 */

export const AUTOFIX_RUN_KIND = 'autofix';
export const REFACTOR_RUN_KIND = 'refactor';
export const AutofixRunKind = z.enum([AUTOFIX_RUN_KIND, REFACTOR_RUN_KIND]);
export type AutofixRunKind = z.infer<typeof AutofixRunKind>;

/** Most files one run may read and change. */
export const MAX_AUTOFIX_FILES = 20;
/** Most findings one auto-fix run may address. */
export const MAX_AUTOFIX_FINDINGS = 50;

/** A file as the editor has it: its path and the sha256 of its bytes (the blob must be uploaded). */
export const FileRef = z.strictObject({ path: ManifestPath, blobHash: Sha256 });
export type FileRef = z.infer<typeof FileRef>;

const uniquePaths = (files: readonly { path: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  files.forEach((file, index) => {
    if (seen.has(file.path)) ctx.addIssue({ code: 'custom', path: [index, 'path'], message: `${JSON.stringify(file.path)} is listed twice` });
    seen.add(file.path);
  });
};
const FileRefs = z.array(FileRef).min(1).max(MAX_AUTOFIX_FILES).superRefine(uniquePaths);

const ModelOptions = {
  /** A persona id (uuid) or built-in key (`security-auditor`): its system prompt and default model. */
  personaId: z.string().min(1).max(200).optional(),
  /** A catalog model id; default: the persona's default model, else the tenant's. */
  model: z.string().min(1).max(200).optional(),
  /** Any value: a new run instead of the equal one from the last 3 minutes (dedup guard). */
  nonce: z.string().max(100).optional(),
};

/**
 * Input of the `autofix` run kind (also the body of POST /projects/:id/autofixes). Name the files
 * either by a snapshot (each finding's file as that snapshot has it) or explicitly (what the
 * editor has open; every finding's file must be among them).
 */
export const AutofixRunInput = z
  .strictObject({
    snapshotId: z.uuid().optional(),
    files: FileRefs.optional(),
    findingIds: z
      .array(z.uuid())
      .min(1)
      .max(MAX_AUTOFIX_FINDINGS)
      .refine((ids) => new Set(ids).size === ids.length, 'lists a finding twice'),
    ...ModelOptions,
  })
  .superRefine((input, ctx) => {
    if ((input.snapshotId === undefined) === (input.files === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['snapshotId'], message: 'give exactly one of snapshotId or files' });
    }
  });
export type AutofixRunInput = z.input<typeof AutofixRunInput>;

/** Where a refactor should focus: a range of one of its files (default: the first file). */
export const RefactorRange = SourceRange.extend({ path: ManifestPath.optional() }).strict();
export type RefactorRange = z.infer<typeof RefactorRange>;

/** Input of the `refactor` run kind (also the body of POST /projects/:id/refactors). */
export const RefactorRunInput = z
  .strictObject({
    /** The files the model may read and change; a patch for any other file fails the run. */
    files: FileRefs,
    range: RefactorRange.optional(),
    instruction: z.string().trim().min(1, 'say what to change').max(4000),
    ...ModelOptions,
  })
  .superRefine((input, ctx) => {
    const path = input.range?.path;
    if (path !== undefined && !input.files.some((file) => file.path === path)) {
      ctx.addIssue({ code: 'custom', path: ['range', 'path'], message: `${JSON.stringify(path)} is not one of files` });
    }
  });
export type RefactorRunInput = z.input<typeof RefactorRunInput>;

/**
 * The proposed change of one file. `edits` (non-overlapping, against the base text) and
 * `newContent` describe the same change: apply either. `newBlobHash` is the sha256 of the file's
 * bytes after the change (UTF-8; a BOM the base had is kept), what `applied` reports back.
 */
export const FilePatch = z.object({
  path: z.string(),
  baseBlobHash: Sha256,
  edits: z.array(TextEdit),
  newContent: z.string(),
  newBlobHash: Sha256,
  language: Language.nullable(),
  /** True when the result was parsed and introduced no syntax error (JS/TS/Python/Go/Java). */
  syntaxChecked: z.boolean(),
});
export type FilePatch = z.infer<typeof FilePatch>;

/** A finding an auto-fix run addressed. */
export const AddressedFinding = z.object({
  id: z.uuid(),
  ruleId: z.string(),
  path: z.string(),
  line: z.number().int(),
  message: z.string(),
});
export type AddressedFinding = z.infer<typeof AddressedFinding>;

export const ModelUsage = z.object({
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
});
export type ModelUsage = z.infer<typeof ModelUsage>;

/** The `result` of a succeeded autofix or refactor run. A succeeded run has at least one patch. */
export const AutofixResult = z.object({
  kind: AutofixRunKind,
  /** `deterministic`: the analyzers' own fixes, no model; `model`: a persona wrote the patch. */
  mode: z.enum(['deterministic', 'model']),
  snapshotId: z.uuid().nullable(),
  rationale: z.string(),
  files: z.array(FilePatch).min(1),
  findings: z.array(AddressedFinding),
  instruction: z.string().nullable(),
  personaId: z.string().nullable(),
  usage: ModelUsage.nullable(),
  /** The run's report (also saved as a report of kind autofix/refactor). */
  reportMarkdown: z.string(),
  reportTitle: z.string(),
  reportKind: AutofixRunKind,
});
export type AutofixResult = z.infer<typeof AutofixResult>;

/** Events of autofix and refactor runs besides `progress` (names of run_events.type). */
export const AUTOFIX_EVENT = {
  /** data: AutofixStepData: the run moved to another step. */
  step: 'autofix.step',
  /** data: { text }: the next piece of the model's rationale as it streams (join them in order). */
  rationale: 'autofix.rationale',
  /** data: AutofixTokensData: after each model call. */
  tokens: 'autofix.tokens',
  /** data: { path, edits, syntaxChecked }: a file's patch passed validation. */
  patch: 'autofix.patch',
  /** data: { reason, path }: validation rejected the proposal; the run fails with this reason. */
  rejected: 'autofix.rejected',
} as const;

export const AutofixStep = z.enum(['collecting-context', 'generating', 'validating']);
export type AutofixStep = z.infer<typeof AutofixStep>;
export const AutofixStepData = z.object({ step: AutofixStep, message: z.string() });
export type AutofixStepData = z.infer<typeof AutofixStepData>;
export const AutofixTokensData = z.object({
  provider: z.string(),
  model: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  /** Everything the run's model calls used so far (repairs included). */
  runTokens: z.number().int(),
  runCostUsd: z.number(),
});
export type AutofixTokensData = z.infer<typeof AutofixTokensData>;

/**
 * What the editor says after it applied (part of) a run's patch. `newBlobHash` is the sha256 of
 * the file as saved. When it equals the proposal's `newBlobHash` the server already has the
 * content; otherwise (the user changed the proposal before applying) upload the blob first with
 * PUT /api/v1/blobs/:sha256.
 */
export const AppliedReport = z.strictObject({
  files: z
    .array(z.strictObject({ path: ManifestPath, newBlobHash: Sha256 }))
    .min(1)
    .max(MAX_AUTOFIX_FILES)
    .superRefine(uniquePaths),
});
export type AppliedReport = z.input<typeof AppliedReport>;

export const AppliedFile = z.object({
  path: z.string(),
  newBlobHash: Sha256,
  /** The file was saved exactly as proposed. */
  asProposed: z.boolean(),
  appliedBy: z.uuid().nullable(),
  appliedAt: z.string(),
  /** The snapshot (latest project files with the applied ones) the re-analysis runs on. */
  snapshotId: z.uuid(),
  analysisRunId: z.uuid().nullable(),
});
export type AppliedFile = z.infer<typeof AppliedFile>;

export const AppliedResult = z.object({
  runId: z.uuid(),
  /** Files recorded by this call. Empty when everything had been reported before. */
  applied: z.array(AppliedFile),
  /** Files of this call that had been reported before with the same hash: nothing applied twice. */
  alreadyApplied: z.array(AppliedFile),
  /** Whether this call changed anything. */
  changed: z.boolean(),
  message: z.string(),
  /** The analysis run re-checking the touched files; follow it, or wait for `findings.changed`. */
  analysisRunId: z.uuid().nullable(),
  /** AI findings the patch addressed, marked fixed at once (the built-in analyzers judge the rest). */
  fixedFindingIds: z.array(z.uuid()),
});
export type AppliedResult = z.infer<typeof AppliedResult>;

/** A run with its proposal and what was applied of it: what an editor needs after a reload. */
export const AutofixState = z.object({
  run: Run,
  result: AutofixResult.nullable(),
  applications: z.array(AppliedFile),
});
export type AutofixState = z.infer<typeof AutofixState>;

export const AutofixRunParams = z.object({ runId: z.uuid() });

export const autofixRoutes = {
  startAutofix: route({ method: 'post', path: '/api/v1/projects/:id/autofixes', params: ProjectIdParams, alsoStatus: [200], errors: [409], summary: 'Start an auto-fix run for findings (or get the equal one active or just finished)', auth: true, body: AutofixRunInput, response: RunCreated, status: 201 }),
  startRefactor: route({ method: 'post', path: '/api/v1/projects/:id/refactors', params: ProjectIdParams, alsoStatus: [200], errors: [409], summary: 'Start a refactor run of files with an instruction', auth: true, body: RefactorRunInput, response: RunCreated, status: 201 }),
  get: route({ method: 'get', path: '/api/v1/autofix/:runId', params: AutofixRunParams, summary: 'An autofix/refactor run with its proposed patch and what was applied', auth: true, response: AutofixState }),
  applied: route({ method: 'post', path: '/api/v1/autofix/:runId/applied', params: AutofixRunParams, errors: [409, 422], summary: 'Report files the editor applied; re-analyzes them (idempotent)', auth: true, body: AppliedReport, response: AppliedResult }),
};
