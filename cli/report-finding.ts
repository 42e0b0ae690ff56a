import type { FindingFix, FlowStep, Severity, SourceRange } from '#protocol/findings.ts';

/** A finding as nyx reports it, whichever mode found it (an analyzer's Finding and a StoredFinding both fit). */
export interface ReportFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  range: SourceRange;
  fingerprint: string;
  fix: FindingFix | null;
  flow: FlowStep[] | null;
}

/** Stable order for every output: path, position, rule. */
export function sortFindings(findings: ReportFinding[]): ReportFinding[] {
  return findings.sort(
    (a, b) =>
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.range.startLine - b.range.startLine ||
      a.range.startColumn - b.range.startColumn ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
}
