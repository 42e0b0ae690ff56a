import type { FindingFix } from '#protocol/findings.ts';
import { LineIndex } from './source-text.ts';

/** Applies a fix's edits to the text it was computed on (edits are applied back to front). */
export function applyFix(text: string, fix: FindingFix): string {
  const lines = new LineIndex(text);
  const edits = fix.edits
    .map((edit) => ({
      start: lines.offset(edit.range.startLine, edit.range.startColumn),
      end: lines.offset(edit.range.endLine, edit.range.endColumn),
      newText: edit.newText,
    }))
    .sort((a, b) => b.start - a.start);
  edits.forEach((edit, i) => {
    if (i > 0 && edit.end > edits[i - 1]!.start) throw new Error('fix edits overlap');
  });
  return edits.reduce((result, edit) => result.slice(0, edit.start) + edit.newText + result.slice(edit.end), text);
}
