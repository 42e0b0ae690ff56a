// Turning a proposal into edits against the exact base text, and refusing any that would not
// apply cleanly. Every refusal is a PatchRejected whose message names the file and says what is
// wrong, because it becomes the failed run's error.
import type { SourceRange, TextEdit } from '#protocol/findings.ts';
import { LineIndex } from '#server/modules/analysis/analyzers/source-text.ts';

export class PatchRejected extends Error {
  readonly path: string | null;
  constructor(message: string, path: string | null) {
    super(message);
    this.path = path;
  }
}

/** An edit as UTF-16 offsets into the base text. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** A search/replace block: `search` must occur exactly once in the base text. */
export interface SearchReplace {
  search: string;
  replace: string;
}

function occurrences(text: string, search: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(search); at !== -1 && found.length < 10; at = text.indexOf(search, at + 1)) found.push(at);
  return found;
}

const firstLine = (text: string) => JSON.stringify(text.split('\n')[0]!.slice(0, 80));

export function editsFromSearchReplace(path: string, text: string, blocks: readonly SearchReplace[]): OffsetEdit[] {
  return blocks.map((block, index) => {
    if (block.search.length === 0) throw new PatchRejected(`the patch for ${path} does not apply: edit ${index + 1} has an empty search text`, path);
    const found = occurrences(text, block.search);
    if (found.length === 0) {
      throw new PatchRejected(`the patch for ${path} does not apply: the search text of edit ${index + 1} (starting ${firstLine(block.search)}) is not in the file as it was when the run started`, path);
    }
    if (found.length > 1) {
      const lines = new LineIndex(text);
      const where = found.map((offset) => lines.position(offset).line).join(', ');
      throw new PatchRejected(`the patch for ${path} does not apply: the search text of edit ${index + 1} (starting ${firstLine(block.search)}) occurs ${found.length === 10 ? '10 or more' : found.length} times (lines ${where}); it must match exactly once`, path);
    }
    return { start: found[0]!, end: found[0]! + block.search.length, newText: block.replace };
  });
}

/** Checks that a range lies inside the text (a column may point just past a line's end). */
function offsetOf(path: string, lines: string[], starts: LineIndex, line: number, column: number, what: string): number {
  const content = lines[line - 1];
  if (content === undefined || column > content.length + 1) {
    throw new PatchRejected(`the patch for ${path} does not apply: ${what} ${line}:${column} is outside the file (${lines.length} lines)`, path);
  }
  return starts.offset(line, column);
}

export function editsFromRanges(path: string, text: string, edits: readonly TextEdit[]): OffsetEdit[] {
  const lines = text.split('\n');
  const index = new LineIndex(text);
  return edits.map((edit, i) => {
    const start = offsetOf(path, lines, index, edit.range.startLine, edit.range.startColumn, `edit ${i + 1} starts at`);
    const end = offsetOf(path, lines, index, edit.range.endLine, edit.range.endColumn, `edit ${i + 1} ends at`);
    if (end < start) throw new PatchRejected(`the patch for ${path} does not apply: edit ${i + 1} ends before it starts`, path);
    return { start, end, newText: edit.newText };
  });
}

/** The smallest single edit turning `base` into `next` (common prefix and suffix kept). */
export function editFromNewContent(base: string, next: string): OffsetEdit[] {
  if (base === next) return [];
  let prefix = 0;
  while (prefix < base.length && prefix < next.length && base[prefix] === next[prefix]) prefix++;
  let suffix = 0;
  while (suffix < base.length - prefix && suffix < next.length - prefix && base[base.length - 1 - suffix] === next[next.length - 1 - suffix]) suffix++;
  return [{ start: prefix, end: base.length - suffix, newText: next.slice(prefix, next.length - suffix) }];
}

/** Sorts, drops exact duplicates (two findings fixed by the same edit), refuses overlaps. */
export function normalizeEdits(path: string, edits: readonly OffsetEdit[]): OffsetEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const result: OffsetEdit[] = [];
  for (const edit of sorted) {
    const previous = result.at(-1);
    if (previous && previous.start === edit.start && previous.end === edit.end && previous.newText === edit.newText) continue;
    // Touching is fine; two insertions at one point are ambiguous, like any overlap.
    if (previous && (edit.start < previous.end || (edit.start === previous.start && edit.start === edit.end))) {
      throw new PatchRejected(`the patch for ${path} does not apply: two of its edits overlap`, path);
    }
    result.push(edit);
  }
  return result;
}

export function applyEdits(text: string, sortedEdits: readonly OffsetEdit[]): string {
  let result = '';
  let at = 0;
  for (const edit of sortedEdits) {
    result += text.slice(at, edit.start) + edit.newText;
    at = edit.end;
  }
  return result + text.slice(at);
}

/** The edits as protocol TextEdits: ranges in the base text, what a WorkspaceEdit needs. */
export function toTextEdits(text: string, sortedEdits: readonly OffsetEdit[]): TextEdit[] {
  const index = new LineIndex(text);
  return sortedEdits.map((edit) => ({ range: index.range(edit.start, edit.end) satisfies SourceRange, newText: edit.newText }));
}
