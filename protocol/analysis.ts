import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { FindingFix, FlowStep, RuleInfo, Severity, SourceRange, TriageResolution } from './findings.ts';
import { RunCreated } from './runs.ts';

/**
 * Workspace snapshots, analysis runs, persisted findings and code patterns (docs/analysis.md).
 *
 * Upload flow: the editor hashes its files (sha256 of the raw bytes), sends the manifest to
 * `checkSnapshot`, uploads only the blobs the server lacks (`putBlob`, or `uploadBlobs` in
 * batches), then `createSnapshot` and `startAnalysis`. Re-analysis after editing one file
 * uploads one blob, and with `baseSnapshotId` names only that file: the server keeps the rest of
 * the base snapshot, and the run analyzes only what differs from the project's last analysis.
 */

/** Lowercase hex sha256 of a file's raw bytes: the blob's name. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex sha256 (64 characters)');

/** Longest manifest path, in characters. */
export const MAX_PATH_LENGTH = 1024;

/**
 * A repository-relative path with forward slashes: no leading '/', no drive letter, no '.' or
 * '..' segments, no empty segments, no backslashes, no control characters, valid Unicode.
 */
export const ManifestPath = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`)
  .superRefine((path, ctx) => {
    const problem = pathProblem(path);
    // The path is named in the message, so a 400 says which file of thousands is wrong.
    if (problem) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(path.slice(0, 200))} ${problem}` });
  });

// A lone UTF-16 surrogate cannot be encoded as UTF-8 (a name read from invalid bytes); U+FFFD is what a decoder leaves of them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function pathProblem(path: string): string | null {
  if (LONE_SURROGATE.test(path) || path.includes('\uFFFD')) return 'is not valid UTF-8';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a NUL or control character';
  if (path.includes('\\')) return 'must use forward slashes, not backslashes';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'must be relative to the workspace root, not absolute';
  const segments = path.split('/');
  if (segments.includes('..')) return 'must not contain ".." segments';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'must not contain empty or "." segments';
  return null;
}

export const ManifestEntry = z.strictObject({
  path: ManifestPath,
  sha256: Sha256,
  /** Bytes; lets the server refuse a file over the limit before it is uploaded. */
  size: z.number().int().min(0),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z.array(ManifestEntry).max(50_000, 'at most 50,000 files per snapshot');

export const SnapshotCheck = z.strictObject({ files: Manifest });
export type SnapshotCheck = z.input<typeof SnapshotCheck>;

export const SnapshotLimits = z.object({
  /** Largest file the server accepts, in bytes; leave larger files out of the manifest. */
  maxBlobBytes: z.number().int(),
  maxFiles: z.number().int(),
  maxPathLength: z.number().int(),
});

export const SnapshotCheckResult = z.object({
  /** Hashes of the manifest the server does not have yet: upload exactly these. */
  missing: z.array(Sha256),
  /** How many distinct blobs the server already has. */
  present: z.number().int(),
  limits: SnapshotLimits,
});
export type SnapshotCheckResult = z.infer<typeof SnapshotCheckResult>;

export const BlobParams = z.object({ sha256: Sha256 });

export const BlobUploadResult = z.object({
  sha256: Sha256,
  size: z.number().int(),
  /** false when the server already had this blob (the upload was a no-op). */
  created: z.boolean(),
});
export type BlobUploadResult = z.infer<typeof BlobUploadResult>;

export const BlobBatchUpload = z.strictObject({
  blobs: z
    .array(z.strictObject({ sha256: Sha256, contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64') }))
    .min(1)
    .max(1000),
});
export type BlobBatchUpload = z.input<typeof BlobBatchUpload>;
export const BlobBatchResult = z.object({ items: z.array(BlobUploadResult) });

/**
 * A manifest entry that may carry its content: the server stores the blob as `uploadBlobs` would
 * (hash and size verified). A client sending a few changed files saves the check and upload round
 * trips; whole workspaces still upload in batches first.
 */
export const SnapshotCreateEntry = ManifestEntry.extend({
  contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').optional(),
});

export const SnapshotCreate = z.strictObject({
  /**
   * Every file of the workspace; with `baseSnapshotId`, only the files added or changed since that
   * snapshot. An entry's blob must be uploaded already or sent along as `contentBase64`.
   */
  files: z.array(SnapshotCreateEntry).max(50_000, 'at most 50,000 files per snapshot'),
  /** Where the files came from; `github` snapshots are created by syncs. */
  source: z.enum(['workspace', 'github']).default('workspace'),
  /**
   * A snapshot of the same project this one starts from: its files are kept except those in
   * `files` (added or changed) and `removed`. A one-file edit then sends one entry instead of the
   * whole workspace (decision 0024). The result is a complete snapshot like any other.
   */
  baseSnapshotId: z.uuid().optional(),
  /** With `baseSnapshotId`: paths of the base that are gone. Each must be in the base and not in `files`. */
  removed: z.array(ManifestPath).max(50_000).optional(),
});
export type SnapshotCreate = z.input<typeof SnapshotCreate>;

export const Snapshot = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  source: z.string(),
  fileCount: z.number().int(),
  totalBytes: z.number().int(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** Which rules an analysis runs: whole ids (`nyx/dangerous/sql-injection`) or category prefixes (`nyx/secrets/`). */
export const RuleSelector = z.string().min(1).max(200).regex(/^nyx\/[a-z0-9/-]*$/, 'a rule id or a prefix such as "nyx/secrets/"');

export const AiReviewOptions = z.strictObject({
  /** Recorded on every AI call (ai_calls.persona_id); the persona's voice in the review prompt. */
  personaId: z.string().min(1).max(200).optional(),
  /** A catalog model id; default: the tenant's default model. */
  model: z.string().min(1).max(200).optional(),
});

/** Input of the `analysis` run kind (also what POST /projects/:id/analyses takes). */
export const AnalysisRunInput = z.strictObject({
  snapshotId: z.uuid(),
  /** Omitted: every built-in rule. */
  rules: z.array(RuleSelector).min(1).max(100).optional(),
  /** Also run the AI review over files changed since the last analysis (skipped when no provider is configured). */
  ai: AiReviewOptions.optional(),
  /**
   * Analyze minified and vendored files too (`*.min.js`, `*.bundle.js`, `node_modules/`, `vendor/`,
   * `third_party/`, very long lines). Default false: vendored files get no findings, minified files
   * only the secret scan. The editor sends its `nyx.analysis.includeMinified` setting.
   */
  includeGenerated: z.boolean().optional(),
});
export type AnalysisRunInput = z.input<typeof AnalysisRunInput>;

export const AnalysisStart = AnalysisRunInput;

/** What a finished analysis run returns as `result`. */
export const AnalysisResult = z.object({
  snapshotId: z.uuid(),
  files: z.number().int(),
  analyzed: z.number().int(),
  cacheHits: z.number().int(),
  findings: z.number().int(),
  opened: z.number().int(),
  fixed: z.number().int(),
  ai: z.object({ status: z.enum(['skipped', 'done', 'failed']), reason: z.string().nullable(), files: z.number().int(), findings: z.number().int() }),
  /**
   * Set when the run compared its snapshot with the one the project's findings came from (same
   * rules and analyzer version) and looked only at what differs: that run's id and how many files
   * were new or changed and removed. null: every file was looked at (cache hits still count).
   * Absent from results of servers before decision 0024.
   */
  incremental: z.object({ baseRunId: z.uuid(), changed: z.number().int(), removed: z.number().int() }).nullable().optional(),
});
export type AnalysisResult = z.infer<typeof AnalysisResult>;

/** Events an analysis run emits besides progress (names of run_events.type). */
export const ANALYSIS_EVENT = {
  /** data: { done, total, cacheHits }: files analyzed so far. */
  files: 'analysis.files',
  /** data: { opened, fixed, total }: findings were written. */
  findings: 'analysis.findings',
  /** data: { status, reason }: the AI review ran, was skipped or failed. */
  ai: 'analysis.ai',
} as const;

export const FindingStatus = z.enum(['open', 'fixed', 'dismissed']);
export type FindingStatus = z.infer<typeof FindingStatus>;

/** A finding as the team sees it: the analyzer's finding plus its life in the project. */
export const StoredFinding = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  path: z.string(),
  ruleId: z.string(),
  severity: Severity,
  message: z.string(),
  range: SourceRange,
  fix: FindingFix.nullable(),
  /** Data-flow rules: where the data entered, each step, where it was used (first `source`, last `sink`); null otherwise. */
  flow: z.array(FlowStep).nullable(),
  /** The rule's CWE ids and OWASP categories (copied from the rule catalog, so API clients can filter without it). */
  cwe: z.array(z.string()),
  owasp: z.array(z.string()),
  fingerprint: z.string(),
  /** `builtin` or `ai`. */
  source: z.string(),
  status: FindingStatus,
  dismissedBy: z.uuid().nullable(),
  dismissedReason: z.string().nullable(),
  dismissedAt: z.string().nullable(),
  /** Why a dismissed finding was set aside (protocol/triage.ts); null while open or fixed. */
  resolution: TriageResolution.nullable(),
  firstSeenSnapshotId: z.uuid(),
  lastSeenSnapshotId: z.uuid(),
  /** Link for the diagnostic's code: GET /api/v1/analysis/rules/<ruleId>. */
  docsUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredFinding = z.infer<typeof StoredFinding>;

export const FindingListQuery = z.strictObject({
  path: ManifestPath.optional(),
  severity: Severity.optional(),
  ruleId: z.string().max(200).optional(),
  /** Default: open findings only. `all` lists every status. */
  status: z.union([FindingStatus, z.literal('all')]).default('open'),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
});
export type FindingListQuery = z.input<typeof FindingListQuery>;

export const FindingList = z.object({ items: z.array(StoredFinding), total: z.number().int() });

export const FindingDismiss = z.strictObject({
  reason: z.string().trim().min(1, 'say why (the team sees it)').max(2000),
  /** How the dismissal is triaged (protocol/triage.ts); `accepted` when not given. */
  resolution: TriageResolution.optional(),
});
export const FindingIdParams = z.object({ id: z.uuid() });

export const CodePattern = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  ruleId: z.string(),
  title: z.string(),
  severity: Severity,
  /** Open findings of this rule in the project. */
  count: z.number().int(),
  examples: z.array(z.object({ path: z.string(), line: z.number().int(), snippet: z.string() })),
  updatedAt: z.string(),
});
export type CodePattern = z.infer<typeof CodePattern>;
export const CodePatternList = z.object({ items: z.array(CodePattern) });

export const RuleCatalog = z.object({
  analyzerVersion: z.string(),
  items: z.array(RuleInfo.extend({ docsUrl: z.string() })),
});
export const RuleIdParams = z.object({ ruleId: z.string().min(1).max(200) });

/** Tenant stream event (GET /api/v1/events) sent when findings of a project changed: refetch them. */
export const FINDINGS_CHANGED_EVENT = 'findings.changed';
export const FindingsChangedData = z.object({
  projectId: z.uuid(),
  /** What changed them: an analysis run, a dismiss or a reopen, another triage change or its undo, or a compliance review (its `nyx/policy/...` gaps). */
  cause: z.enum(['analysis', 'dismiss', 'reopen', 'triage', 'undo', 'compliance-review']),
  /** Ids of the findings that changed, when few (dismiss/reopen); empty after an analysis. */
  findingIds: z.array(z.uuid()),
  runId: z.uuid().nullable(),
});
export type FindingsChangedData = z.infer<typeof FindingsChangedData>;

/**
 * A SARIF 2.1.0 log (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), served as
 * application/sarif+json. Only its outline is declared here: the format is OASIS's, the server
 * builds it in server/src/modules/analysis/sarif.ts and tests validate it against the official schema.
 */
export const Sarif = z.looseObject({
  $schema: z.string(),
  version: z.literal('2.1.0'),
  runs: z.array(z.looseObject({ tool: z.looseObject({ driver: z.looseObject({ name: z.string() }) }), results: z.array(z.looseObject({ ruleId: z.string() })) })),
});
export type Sarif = z.infer<typeof Sarif>;

export const analysisRoutes = {
  checkSnapshot: route({ method: 'post', path: '/api/v1/projects/:id/snapshots/check', params: ProjectIdParams, errors: [422], summary: 'Which blobs of a manifest the server lacks', auth: true, body: SnapshotCheck, response: SnapshotCheckResult }),
  putBlob: route({ method: 'put', path: '/api/v1/blobs/:sha256', params: BlobParams, alsoStatus: [200], rawBody: 'application/octet-stream', errors: [422], summary: 'Upload one blob (raw bytes, application/octet-stream); the hash is verified', auth: true, response: BlobUploadResult, status: 201 }),
  uploadBlobs: route({ method: 'post', path: '/api/v1/blobs', errors: [422], summary: 'Upload several blobs as base64 in one JSON request', auth: true, body: BlobBatchUpload, response: BlobBatchResult, status: 201 }),
  createSnapshot: route({ method: 'post', path: '/api/v1/projects/:id/snapshots', params: ProjectIdParams, errors: [409, 422], summary: 'Create a snapshot from a manifest whose blobs are all uploaded', auth: true, body: SnapshotCreate, response: Snapshot, status: 201 }),
  startAnalysis: route({ method: 'post', path: '/api/v1/projects/:id/analyses', params: ProjectIdParams, alsoStatus: [200], errors: [409], summary: 'Start an analysis run of a snapshot (or get the equal one active or just finished)', auth: true, body: AnalysisStart, response: RunCreated, status: 201 }),
  listFindings: route({ method: 'get', path: '/api/v1/projects/:id/findings', params: ProjectIdParams, summary: "A project's findings, filtered by path, severity, rule and status", auth: true, query: FindingListQuery, response: FindingList }),
  getFinding: route({ method: 'get', path: '/api/v1/findings/:id', params: FindingIdParams, summary: 'One finding', auth: true, response: StoredFinding }),
  dismissFinding: route({ method: 'post', path: '/api/v1/findings/:id/dismiss', params: FindingIdParams, errors: [409], summary: 'Dismiss a finding for the whole team, saying why', auth: true, body: FindingDismiss, response: StoredFinding }),
  reopenFinding: route({ method: 'post', path: '/api/v1/findings/:id/reopen', params: FindingIdParams, errors: [409], summary: 'Reopen a dismissed finding', auth: true, response: StoredFinding }),
  listPatterns: route({ method: 'get', path: '/api/v1/projects/:id/code-patterns', params: ProjectIdParams, summary: 'Recurring issues of a project: open findings per rule, with examples', auth: true, response: CodePatternList }),
  listRules: route({ method: 'get', path: '/api/v1/analysis/rules', summary: 'Every analysis rule with its docs (the diagnostic code link)', auth: false, response: RuleCatalog }),
  exportSarif: route({ method: 'get', path: '/api/v1/projects/:id/findings.sarif', params: ProjectIdParams, produces: ['application/sarif+json'], summary: "A project's open findings as SARIF 2.1.0 (application/sarif+json): rules with CWE/OWASP, a CWE taxonomy, code flows for data-flow findings", auth: true, response: Sarif }),
  getRule: route({ method: 'get', path: '/api/v1/analysis/rules/*ruleId', params: RuleIdParams, produces: ['text/html'], summary: 'One rule and its docs (JSON, or an HTML page for a browser); the id may be URL-encoded (nyx%2Fsecrets%2Fgithub-token) or plain (nyx/secrets/github-token)', auth: false, response: RuleCatalog.shape.items.element }),
};
