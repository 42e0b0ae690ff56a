import type { SourceRange } from '#protocol/findings.ts';

/**
 * One edit of a document in protocol positions (1-based lines and UTF-16 columns): the range it
 * replaced and the text it put there. VS Code hands the edits of one change event so that applying
 * them one after the other is right (each is relative to the text the previous ones left).
 */
export interface TextChange {
  range: SourceRange;
  text: string;
}

interface Position {
  line: number;
  column: number;
}

/**
 * Where a finding's range is after edits, so that its marker stays on its code until the next
 * analysis answers: text inserted or removed before it moves it; an edit inside it stretches or
 * shrinks it; an edit that swallows it leaves it over the text that replaced it.
 */
export function shiftRange(range: SourceRange, changes: readonly TextChange[]): SourceRange {
  let start: Position = { line: range.startLine, column: range.startColumn };
  let end: Position = { line: range.endLine, column: range.endColumn };
  for (const change of changes) {
    start = shiftPosition(start, change, 'start');
    end = shiftPosition(end, change, 'end');
    if (before(end, start)) end = start;
  }
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

function shiftPosition(position: Position, change: TextChange, side: 'start' | 'end'): Position {
  const from = { line: change.range.startLine, column: change.range.startColumn };
  const to = { line: change.range.endLine, column: change.range.endColumn };
  const lines = change.text.split(/\r\n|\r|\n/);
  const insertedEnd: Position =
    lines.length === 1 ? { line: from.line, column: from.column + lines[0]!.length } : { line: from.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
  // Text typed exactly where a range starts goes before it; where it ends, outside it.
  if (before(position, from) || (side === 'end' && equal(position, from) && !equal(from, to))) return position;
  if (equal(position, from) && side === 'end') return position;
  if (!before(position, to)) {
    if (position.line === to.line) return { line: insertedEnd.line, column: insertedEnd.column + (position.column - to.column) };
    return { line: position.line + (insertedEnd.line - to.line), column: position.column };
  }
  // Inside the replaced text: the start stays where the edit began, the end goes to where it ended.
  return side === 'start' ? from : insertedEnd;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function equal(a: Position, b: Position): boolean {
  return a.line === b.line && a.column === b.column;
}
