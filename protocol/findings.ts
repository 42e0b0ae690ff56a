import { z } from 'zod';

/**
 * Findings produced by Nyx's built-in analyzers, as they travel between server, extension and
 * webviews.
 *
 * Positions: lines are 1-based; columns are 1-based and counted in UTF-16 code units (what
 * JavaScript strings and VS Code's `Position.character` + 1 use). `start` is inclusive, `end` is
 * exclusive: a range covering `eval` at the start of line 3 is 3:1-3:5.
 */

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/**
 * Triage, the part a finding carries (the routes live in protocol/triage.ts). A dismissed finding
 * says why it was set aside, in the words of SonarQube's review statuses: the analyzer was wrong
 * (`false-positive`), the team will not change it (`wont-fix`), or the risk is known and accepted
 * (`accepted`).
 */
export const TriageResolution = z.enum(['false-positive', 'wont-fix', 'accepted']);
export type TriageResolution = z.infer<typeof TriageResolution>;

export const SourceRange = z.object({
  startLine: z.number().int().min(1),
  startColumn: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endColumn: z.number().int().min(1),
});
export type SourceRange = z.infer<typeof SourceRange>;

export const TextEdit = z.object({
  range: SourceRange,
  newText: z.string(),
});
export type TextEdit = z.infer<typeof TextEdit>;

/** A deterministic fix: applying `edits` (non-overlapping) always yields the same text. */
export const FindingFix = z.object({
  description: z.string().min(1),
  edits: z.array(TextEdit).min(1),
});
export type FindingFix = z.infer<typeof FindingFix>;

/**
 * One location on a data-flow path: where untrusted data enters (`source`), each place it moves
 * through (`step`: an assignment, a call, a string built from it) and where it is used (`sink`).
 */
export const FlowStep = z.object({
  kind: z.enum(['source', 'step', 'sink']),
  /** Repository-relative path; flows may cross files once the engine follows calls across them. */
  path: z.string().min(1),
  range: SourceRange,
  /** What happens here, e.g. "request parameter `id` read" or "concatenated into `sql`". */
  message: z.string().min(1),
});
export type FlowStep = z.infer<typeof FlowStep>;

/**
 * An analyzer rule (`nyx/<category>/<rule>`) or a policy clause a compliance review found a gap
 * against (`nyx/policy/<document key>/<clause number>`, protocol/policies.ts).
 */
export const FINDING_RULE_ID = /^nyx\/(?:[a-z-]+\/[a-z0-9-]+|policy\/[a-z0-9][a-z0-9-]{0,62}\/[^/\s]{1,40})$/;

export const Finding = z.object({
  ruleId: z.string().regex(FINDING_RULE_ID),
  severity: Severity,
  message: z.string().min(1),
  /** Repository-relative path with forward slashes. */
  path: z.string().min(1),
  range: SourceRange,
  fix: FindingFix.optional(),
  /** For data-flow (taint) rules: the path from source to sink, in order; first `source`, last `sink`. */
  flow: z.array(FlowStep).min(2).optional(),
  /**
   * Stable identity of the finding across edits elsewhere in the file: a hash of rule id, path,
   * whitespace-normalized matched text and the occurrence index of that text (never line numbers).
   */
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
});
export type Finding = z.infer<typeof Finding>;

export const Language = z.enum(['javascript', 'typescript', 'tsx', 'python', 'go', 'java']);
export type Language = z.infer<typeof Language>;

export const RuleInfo = z.object({
  id: z.string(),
  title: z.string(),
  severity: Severity,
  /** Languages the rule runs on; `'*'` means every text file (e.g. secret scanning). */
  languages: z.array(z.union([Language, z.literal('*')])).min(1),
  /** Whether the rule offers a deterministic fix. */
  fixable: z.boolean(),
  /** Markdown: why it matters and what to do. */
  docs: z.string(),
  /** CWE ids the rule detects, e.g. `['CWE-89']`; empty for rules that are not about weaknesses. */
  cwe: z.array(z.string().regex(/^CWE-\d+$/)).optional(),
  /** OWASP Top 10 (2021) categories, e.g. `['A03:2021 Injection']`. */
  owasp: z.array(z.string()).optional(),
  /** A short vulnerable example and its fixed twin, shown on the rule page and in finding details. */
  examples: z.object({ vulnerable: z.string(), fixed: z.string(), language: z.string() }).optional(),
  /** Links to further reading (CWE entries, OWASP cheat sheets). */
  references: z.array(z.string().url()).optional(),
});
export type RuleInfo = z.infer<typeof RuleInfo>;
