// Fixes without a model: when every selected finding has an analyzer fix, the run applies those.
// A built-in finding's fix is recomputed on the exact base text (the stored one was computed on
// whatever snapshot last saw it, and lines may have moved since); the fingerprint finds it. An AI
// finding's stored edit is used only when the base blob is the one the review saw.
import type { Finding } from '#protocol/findings.ts';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import type { IFinding } from '#server/modules/analysis/finding.entity.ts';
import { ContextError, type BaseFile } from './context.ts';
import { editsFromRanges, type OffsetEdit } from './patch.ts';

export interface FixableFinding {
  finding: IFinding;
  /** For AI findings: the blob of the finding's file in the snapshot that last reported it. */
  reviewedBlobHash: string | null;
}

/** The edits per path, or null when some finding has no deterministic fix (a model is needed). */
export function deterministicEdits(files: readonly BaseFile[], selected: readonly FixableFinding[]): Map<string, OffsetEdit[]> | null {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const analyzed = new Map<string, Map<string, Finding>>();
  const freshFindings = (file: BaseFile) => {
    let found = analyzed.get(file.path);
    if (!found) {
      found = new Map(analyzeFile({ path: file.path, content: file.text }).map((finding) => [finding.fingerprint, finding]));
      analyzed.set(file.path, found);
    }
    return found;
  };
  const edits = new Map<string, OffsetEdit[]>();
  for (const { finding, reviewedBlobHash } of selected) {
    const file = byPath.get(finding.path)!;
    let fix = finding.source === 'ai' && reviewedBlobHash === file.blobHash ? finding.fix : null;
    if (finding.source !== 'ai') {
      const fresh = freshFindings(file).get(finding.fingerprint);
      if (!fresh) {
        throw new ContextError(`finding ${finding.id} (${finding.ruleId} at ${finding.path}:${finding.startLine}) is not in ${finding.path} as of blob ${file.blobHash}: it may be fixed already; analyze the current files`);
      }
      fix = fresh.fix ?? null;
    }
    if (!fix) return null;
    edits.set(file.path, [...(edits.get(file.path) ?? []), ...editsFromRanges(file.path, file.text, fix.edits)]);
  }
  return edits;
}
