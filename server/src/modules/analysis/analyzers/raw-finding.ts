import type { SgNode } from '@ast-grep/napi';
import type { FindingFix, FlowStep, SourceRange } from '#protocol/findings.ts';

/**
 * What a rule reports before the engine adds severity, path and fingerprint. `matchedText` feeds
 * the fingerprint, so it must be the code the finding is about, not its surroundings.
 */
export interface RawFinding {
  ruleId: string;
  message: string;
  range: SourceRange;
  matchedText: string;
  fix?: FindingFix;
  /** Data-flow rules: the path from source to sink, within this file (the engine adds the path). */
  flow?: RawFlowStep[];
}

export type RawFlowStep = Omit<FlowStep, 'path'>;

export function rangeOfNode(node: SgNode): SourceRange {
  const { start, end } = node.range();
  return { startLine: start.line + 1, startColumn: start.column + 1, endLine: end.line + 1, endColumn: end.column + 1 };
}

export function findingAt(node: SgNode, ruleId: string, message: string, fix?: FindingFix): RawFinding {
  return { ruleId, message, range: rangeOfNode(node), matchedText: node.text(), ...(fix ? { fix } : {}) };
}

/** A fix that swaps one node's text for another. */
export function replaceNode(node: SgNode, newText: string, description: string): FindingFix {
  return { description, edits: [{ range: rangeOfNode(node), newText }] };
}

const PASSWORD_WORD = /pass(?:word|wd|phrase)?|pwd/i;

/**
 * Weak hashes only matter for secrets; md5 of a cache key is fine. A hash call counts as a
 * password hash when its own text or its enclosing function mentions a password.
 */
export function isAboutPasswords(node: SgNode, functionKinds: readonly string[]): boolean {
  if (PASSWORD_WORD.test(node.text())) return true;
  for (let current = node.parent(); current; current = current.parent()) {
    if (functionKinds.includes(String(current.kind()))) return PASSWORD_WORD.test(current.text());
  }
  return false;
}

const SQL_STATEMENT = /\b(?:select\s[\s\S]*\sfrom|insert\s+into|update\s[\s\S]*\sset|delete\s+from)\b/i;

/** True when code text contains the start of a SQL statement (used to gate injection rules). */
export function looksLikeSql(text: string): boolean {
  return SQL_STATEMENT.test(text);
}

/** Cheap gate before running the SQL injection rules: the text mentions a SQL verb. */
export const SQL_WORD = /\b(?:select|insert|update|delete)\b/i;
