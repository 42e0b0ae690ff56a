import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { SearchRanking } from './memory.ts';
import { RunCreated } from './runs.ts';

/**
 * The policy library (docs/policies.md): a tenant's security and privacy policies, versioned,
 * split into clauses, embedded and searched by meaning; and the compliance review run that checks
 * a project against them clause by clause.
 */

/** How a document was uploaded. `pdf` content travels base64-encoded; the others as UTF-8 text. */
export const PolicyFormat = z.enum(['markdown', 'text', 'pdf']);
export type PolicyFormat = z.infer<typeof PolicyFormat>;

/** A document's key: what a new version is matched by, and the `<doc-key>` of finding rules (`nyx/policy/<key>/<clause>`). */
export const POLICY_KEY = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const PolicyKey = z.string().regex(POLICY_KEY, 'lowercase letters, digits and "-", starting with a letter or digit (at most 63)');

/** The most bytes one uploaded document may have (after base64 decoding for a PDF). */
export const MAX_POLICY_BYTES = 2 * 1024 * 1024;

export const PolicyUpload = z.strictObject({
  /** Same key as an existing document: a new version of it. Default: derived from the title. */
  key: PolicyKey.optional(),
  /** Default: the first Markdown `# heading`, else the first non-empty line. */
  title: z.string().trim().min(1).max(300).optional(),
  format: PolicyFormat,
  /** The document: UTF-8 text for `markdown` and `text`, base64 for `pdf`. */
  content: z.string().min(1, 'the document is empty').max(Math.ceil((MAX_POLICY_BYTES * 4) / 3) + 8),
});
export type PolicyUpload = z.input<typeof PolicyUpload>;

/**
 * One clause: a numbered, titled part of a policy version. `number` is what reports and findings
 * cite ("4.2"). `controls` are the external controls it names (`GDPR Art. 32`,
 * `ISO 27001:2022 A.8.28`), `cwes` the weaknesses it declares it covers (`Covers: CWE-89`).
 */
export const PolicyClause = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  documentKey: z.string(),
  documentTitle: z.string(),
  versionId: z.uuid(),
  version: z.number().int(),
  /** Position in the version, from 0. */
  ordinal: z.number().int(),
  number: z.string(),
  title: z.string(),
  text: z.string(),
  controls: z.array(z.string()),
  cwes: z.array(z.string()),
  /** Saved, but its vector is not made yet: found by text until it is. */
  vectorPending: z.boolean(),
});
export type PolicyClause = z.infer<typeof PolicyClause>;

export const PolicyVersionSummary = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  version: z.number().int(),
  format: PolicyFormat,
  /** SHA-256 of the uploaded bytes. */
  sha256: z.string(),
  bytes: z.number().int(),
  clauseCount: z.number().int(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type PolicyVersionSummary = z.infer<typeof PolicyVersionSummary>;

export const PolicyVersion = PolicyVersionSummary.extend({
  /** The text the clauses were split from (extracted from the PDF for a PDF). */
  text: z.string(),
  clauses: z.array(PolicyClause),
});
export type PolicyVersion = z.infer<typeof PolicyVersion>;

export const PolicyDocumentSummary = z.object({
  id: z.uuid(),
  key: z.string(),
  title: z.string(),
  latestVersion: z.number().int(),
  latestVersionId: z.uuid(),
  clauseCount: z.number().int(),
  /** Installed from the starter set (and not replaced by an upload since). */
  starter: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PolicyDocumentSummary = z.infer<typeof PolicyDocumentSummary>;

/** A document with every version (newest first) and the latest version's clauses. */
export const PolicyDocument = PolicyDocumentSummary.extend({
  versions: z.array(PolicyVersionSummary),
  clauses: z.array(PolicyClause),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

export const PolicyList = z.object({ items: z.array(PolicyDocumentSummary) });

export const PolicyUploadResult = z.object({
  document: PolicyDocumentSummary,
  version: PolicyVersionSummary,
  /** false when the upload is byte for byte the latest version: nothing new was stored (200). */
  created: z.boolean(),
});
export type PolicyUploadResult = z.infer<typeof PolicyUploadResult>;

export const StarterInstallResult = z.object({
  /** One entry per starter document, in file order. */
  items: z.array(z.object({ key: z.string(), title: z.string(), documentId: z.uuid(), version: z.number().int(), created: z.boolean() })),
});
export type StarterInstallResult = z.infer<typeof StarterInstallResult>;

export const PolicyIdParams = z.object({ id: z.uuid() });
export const PolicyVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });
export const PolicyClauseParams = z.object({ id: z.uuid() });

export const PolicySearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(1000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  /** Only this document's clauses. */
  documentId: z.uuid().optional(),
});
export type PolicySearchQuery = z.input<typeof PolicySearchQuery>;

/**
 * One clause found. Only the latest version of each document is searched. `score` is the
 * reciprocal-rank-fusion score (as memory search's): the sum over the vector and full-text
 * rankings of 1 / (60 + rank).
 */
export const PolicySearchHit = z.object({
  clauseId: z.uuid(),
  documentId: z.uuid(),
  documentKey: z.string(),
  documentTitle: z.string(),
  versionId: z.uuid(),
  version: z.number().int(),
  number: z.string(),
  title: z.string(),
  snippet: z.string(),
  controls: z.array(z.string()),
  cwes: z.array(z.string()),
  score: z.number(),
  vectorRank: z.number().int().nullable(),
  textRank: z.number().int().nullable(),
  similarity: z.number().nullable(),
});
export type PolicySearchHit = z.infer<typeof PolicySearchHit>;

export const PolicySearchResult = z.object({ items: z.array(PolicySearchHit), ranking: SearchRanking });
export type PolicySearchResult = z.infer<typeof PolicySearchResult>;

// ---------------------------------------------------------------------------------------------
// Compliance review: a run kind, and its result, the control matrix.

export const COMPLIANCE_REVIEW_RUN_KIND = 'compliance-review';

/** Events the run streams besides status/progress/done. */
export const COMPLIANCE_EVENT = {
  /** `{documents: [{id, key, title, version}], clauses, builtin, judgement}`: what will be reviewed. */
  plan: 'compliance.plan',
  /** `ControlMatrixRow`: one clause assessed. */
  clause: 'compliance.clause',
  /** `{opened, fixed, total}`: the gap findings written. */
  findings: 'compliance.findings',
} as const;

export const ComplianceReviewInput = z.strictObject({
  /** The documents to review against; absent or empty: every document of the tenant (latest versions). */
  documentIds: z.array(z.uuid()).max(100).default([]),
  /** A model id for the persona's judgement; default: the compliance officer's default, else the tenant's. */
  model: z.string().min(1).max(200).optional(),
  /** The snapshot whose code is examined; the review route sets the project's latest. */
  snapshotId: z.uuid().nullable().default(null),
  /**
   * What the review saw, set by the review route (the latest policy versions): a run with an equal
   * input within 3 minutes is deduplicated, so a new snapshot or a new policy version is a new run.
   */
  revision: z.string().max(100).default(''),
});
export type ComplianceReviewInput = z.infer<typeof ComplianceReviewInput>;
export const ComplianceReviewStart = ComplianceReviewInput.pick({ documentIds: true, model: true });
export type ComplianceReviewStart = z.input<typeof ComplianceReviewStart>;

/**
 * `met`, `partial`, `gap`, `not_applicable` as a reviewer judged; `unreviewed` when the clause
 * needs judgement and no model was available (no provider configured).
 */
export const ControlStatus = z.enum(['met', 'partial', 'gap', 'not_applicable', 'unreviewed']);
export type ControlStatus = z.infer<typeof ControlStatus>;

export const ControlEvidence = z.object({
  path: z.string(),
  line: z.number().int(),
  /** The analysis finding this evidence is, when it is one. */
  findingId: z.uuid().nullable(),
  ruleId: z.string().nullable(),
  snippet: z.string(),
});
export type ControlEvidence = z.infer<typeof ControlEvidence>;

export const ControlMatrixRow = z.object({
  clauseId: z.uuid(),
  documentId: z.uuid(),
  documentKey: z.string(),
  version: z.number().int(),
  number: z.string(),
  title: z.string(),
  /** How the clause is cited: "<document title> §<number>". */
  citation: z.string(),
  status: ControlStatus,
  /** `builtin`: mapped from findings by CWE, no model. `model`: the compliance officer judged. `none`: unreviewed. */
  assessedBy: z.enum(['builtin', 'model', 'none']),
  rationale: z.string(),
  evidence: z.array(ControlEvidence),
  controls: z.array(z.string()),
  cwes: z.array(z.string()),
  /** The `nyx/policy/<key>/<number>` findings this review opened or kept open for the clause. */
  gapFindingIds: z.array(z.uuid()),
});
export type ControlMatrixRow = z.infer<typeof ControlMatrixRow>;

export const ControlMatrix = z.object({
  runId: z.uuid(),
  projectId: z.uuid(),
  snapshotId: z.uuid().nullable(),
  reportId: z.uuid().nullable(),
  documents: z.array(z.object({ id: z.uuid(), key: z.string(), title: z.string(), version: z.number().int() })),
  rows: z.array(ControlMatrixRow),
  totals: z.record(ControlStatus, z.number().int()),
  /** The model that judged, `provider/model`, or null (built-in checks only). */
  model: z.string().nullable(),
  createdAt: z.string(),
});
export type ControlMatrix = z.infer<typeof ControlMatrix>;

export const ComplianceRunParams = z.object({ runId: z.uuid() });

/** The rule id of a gap finding: `nyx/policy/<doc-key>/<clause number>`. */
export function policyRuleId(documentKey: string, clauseNumber: string): string {
  return `nyx/policy/${documentKey}/${clauseNumber}`;
}

/** The document key and clause number of a `nyx/policy/...` rule id, or null for any other rule. */
export function parsePolicyRuleId(ruleId: string): { documentKey: string; number: string } | null {
  const match = /^nyx\/policy\/([a-z0-9][a-z0-9-]{0,62})\/(.+)$/.exec(ruleId);
  return match ? { documentKey: match[1]!, number: match[2]! } : null;
}

export const policyRoutes = {
  list: route({ method: 'get', path: '/api/v1/policies', summary: 'List the tenant\'s policy documents', auth: true, response: PolicyList }),
  upload: route({
    method: 'post',
    path: '/api/v1/policies',
    role: 'admin',
    alsoStatus: [200],
    errors: [402, 409, 422, 502, 503],
    summary: 'Upload a policy (Markdown, text or base64 PDF); the same key again is a new version (200 when identical to the latest)',
    auth: true,
    body: PolicyUpload,
    response: PolicyUploadResult,
    status: 201,
  }),
  installStarter: route({ method: 'post', path: '/api/v1/policies/starter', role: 'admin', errors: [402, 409, 502, 503], summary: 'Install (or update) the starter policy set', auth: true, response: StarterInstallResult }),
  search: route({
    method: 'get',
    path: '/api/v1/policies/search',
    errors: [402, 404, 409, 502, 503],
    summary: 'Hybrid search (vector + full text, fused by RRF) over the latest version of every policy\'s clauses',
    auth: true,
    query: PolicySearchQuery,
    response: PolicySearchResult,
  }),
  get: route({ method: 'get', path: '/api/v1/policies/:id', params: PolicyIdParams, summary: 'A policy document: its versions and the latest version\'s clauses', auth: true, response: PolicyDocument }),
  getVersion: route({ method: 'get', path: '/api/v1/policies/:id/versions/:version', params: PolicyVersionParams, summary: 'One version of a policy, with its text and clauses', auth: true, response: PolicyVersion }),
  remove: route({ method: 'delete', path: '/api/v1/policies/:id', params: PolicyIdParams, role: 'admin', summary: 'Delete a policy document and every version of it', auth: true, status: 204 }),
  getClause: route({ method: 'get', path: '/api/v1/policy-clauses/:id', params: PolicyClauseParams, summary: 'One clause', auth: true, response: PolicyClause }),
  startReview: route({
    method: 'post',
    path: '/api/v1/projects/:id/compliance-reviews',
    params: ProjectIdParams,
    alsoStatus: [200],
    errors: [422],
    summary: 'Start a compliance review of the project against the tenant\'s policies (422 when there are none)',
    auth: true,
    body: ComplianceReviewStart,
    response: RunCreated,
    status: 201,
  }),
  getReview: route({ method: 'get', path: '/api/v1/compliance-reviews/:runId', params: ComplianceRunParams, summary: 'The control matrix of a finished compliance review', auth: true, response: ControlMatrix }),
};
