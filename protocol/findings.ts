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

export const Finding = z.object({
  ruleId: z.string().regex(/^nyx\/[a-z-]+\/[a-z0-9-]+$/),
  severity: Severity,
  message: z.string().min(1),
  /** Repository-relative path with forward slashes. */
  path: z.string().min(1),
  range: SourceRange,
  fix: FindingFix.optional(),
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
});
export type RuleInfo = z.infer<typeof RuleInfo>;
