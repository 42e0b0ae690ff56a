import type { SourceRange } from '#protocol/findings.ts';

/** What a file's bytes turned out to be. Binary files are skipped without a finding. */
export type DecodedSource =
  | { kind: 'text'; text: string }
  | { kind: 'binary' }
  | { kind: 'invalid-utf8' };

// Git and ripgrep use the same heuristic: a NUL byte in the first few KB means binary.
const BINARY_SNIFF_BYTES = 8192;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSource(content: string | Uint8Array): DecodedSource {
  if (typeof content === 'string') {
    return content.slice(0, BINARY_SNIFF_BYTES).includes('\0') ? { kind: 'binary' } : { kind: 'text', text: content };
  }
  if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: strictUtf8.decode(content) };
  } catch {
    return { kind: 'invalid-utf8' };
  }
}

/** Converts UTF-16 offsets into 1-based line/column positions (columns in UTF-16 code units). */
export class LineIndex {
  readonly #lineStarts: number[] = [0];
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#lineStarts.push(i + 1);
  }

  get lineCount(): number {
    // A trailing newline ends the last line rather than starting a new one.
    return this.#text.endsWith('\n') ? this.#lineStarts.length - 1 : this.#lineStarts.length;
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.#lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.#lineStarts[low]! + 1 };
  }

  range(start: number, end: number): SourceRange {
    const from = this.position(start);
    const to = this.position(end);
    return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
  }

  offset(line: number, column: number): number {
    const lineStart = this.#lineStarts[line - 1];
    if (lineStart === undefined) throw new RangeError(`line ${line} is outside the text`);
    return lineStart + column - 1;
  }
}
