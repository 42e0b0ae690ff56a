import type { IndexedNode } from './node-index.ts';

/**
 * The words that can open a path or a nesting level, per language. Every decision or nesting node
 * carries one of them in its own text (`if`, `case`, `?`, `&&`, ...), so counting them over a
 * function's text (strings and comments included) can only over-count its real number.
 */
export interface MetricWords {
  decisions: RegExp;
  nesting: RegExp;
}

/** Matches of a global `words` regex in text[start, end), counting no further than `enough`. */
export function countWords(words: RegExp, text: string, start: number, end: number, enough: number): number {
  words.lastIndex = start;
  let count = 0;
  for (let match = words.exec(text); match && match.index < end && count < enough; match = words.exec(text)) count++;
  return count;
}

export interface ScopesToMeasure {
  /** Code outside every function may nest too deeply: measure the whole file. */
  wholeFile: boolean;
  /** Outermost functions whose text has enough words to break a limit (nested ones are inside them). */
  functions: IndexedNode[];
}

/**
 * Which parts of a file need their statements walked for complexity and nesting. Most functions
 * are far below the limits, and their word counts prove it without fetching one statement node;
 * only the rest are measured exactly. `functions` must be sorted by start, outer before inner.
 */
export function scopesToMeasure(
  functions: readonly IndexedNode[],
  text: string,
  words: MetricWords,
  limits: { decisions: number; nesting: number },
): ScopesToMeasure {
  const suspicious: IndexedNode[] = [];
  let topLevelNesting = 0;
  let coveredUntil = 0;
  for (const fn of functions) {
    if (fn.start < coveredUntil) continue; // inside an outer function, already counted with it
    topLevelNesting += countWords(words.nesting, text, coveredUntil, fn.start, limits.nesting);
    if (
      countWords(words.decisions, text, fn.start, fn.end, limits.decisions) >= limits.decisions ||
      countWords(words.nesting, text, fn.start, fn.end, limits.nesting) >= limits.nesting
    ) {
      suspicious.push(fn);
    }
    coveredUntil = fn.end;
  }
  topLevelNesting += countWords(words.nesting, text, coveredUntil, text.length, limits.nesting);
  return { wholeFile: topLevelNesting >= limits.nesting, functions: suspicious };
}
