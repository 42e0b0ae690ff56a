import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import type { ReportFinding } from './report-finding.ts';
import type { TreeFile } from './tree.ts';

/** The server's built-in pass, in this process: the same analyzeFile over the same files. */
export function analyzeOffline(files: readonly Pick<TreeFile, 'path' | 'bytes'>[]): ReportFinding[] {
  return files.flatMap((file) =>
    analyzeFile({ path: file.path, content: file.bytes }).map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      path: finding.path,
      range: finding.range,
      fingerprint: finding.fingerprint,
      fix: finding.fix ?? null,
      flow: finding.flow ?? null,
    })),
  );
}
