/**
 * A small regular-expression reader for the ReDoS rule: it finds a group repeated without bound
 * whose body can match one string in many ways because an unbounded item inside it overlaps
 * with everything else the body requires. `(\d+\.)*` is safe (the dot separates the digits);
 * `(\w+\s?)*` is not (`\s?` may match nothing, so `\w+` repetitions can split a word anywhere).
 */

interface Item {
  /** Source text of the atom, without its quantifier. */
  atom: string;
  min: number;
  max: number;
  /** The quantifier as written (`+`, `{2,}`), empty when none. */
  quantifier: string;
  /** For groups: alternatives, each a sequence of items. */
  alternatives?: Item[][];
}

const SAMPLE = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).concat(['é', 'ß', '中', '\u00a0']);

const charsetCache = new Map<string, boolean[]>();

/** Which sample characters an atom can start with (a group: any item in it). Unknown: all. */
function charset(item: Item): boolean[] {
  if (item.alternatives) return groupCharset(item);
  let set = charsetCache.get(item.atom);
  if (!set) {
    set = atomCharset(item);
    if (charsetCache.size > 5000) charsetCache.clear();
    charsetCache.set(item.atom, set);
  }
  return set;
}

function groupCharset(item: Item): boolean[] {
  const union = SAMPLE.map(() => false);
  for (const sequence of item.alternatives!) for (const inner of sequence) charset(inner).forEach((v, i) => (union[i] ||= v));
  return union;
}

function atomCharset(item: Item): boolean[] {
  if (/^\\[1-9k]/.test(item.atom)) return SAMPLE.map(() => true);
  try {
    const regex = new RegExp(`^(?:${item.atom})$`, 'u');
    return SAMPLE.map((c) => regex.test(c));
  } catch {
    try {
      const regex = new RegExp(`^(?:${item.atom})$`);
      return SAMPLE.map((c) => regex.test(c));
    } catch {
      return SAMPLE.map(() => true);
    }
  }
}

const overlaps = (a: boolean[], b: boolean[]) => a.some((v, i) => v && b[i]);

function readQuantifier(pattern: string, at: number): { min: number; max: number; end: number } {
  const c = pattern[at];
  let result = { min: 1, max: 1, end: at };
  if (c === '*') result = { min: 0, max: Infinity, end: at + 1 };
  else if (c === '+') result = { min: 1, max: Infinity, end: at + 1 };
  else if (c === '?') result = { min: 0, max: 1, end: at + 1 };
  else if (c === '{') {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(at));
    if (m && (m[1] || m[3])) {
      const min = Number(m[1] || 0);
      result = { min, max: m[2] ? (m[3] ? Number(m[3]) : Infinity) : min, end: at + m[0].length };
    }
  }
  // Lazy (`+?`) backtracks the same way; possessive (`++`) does not backtrack at all.
  if (result.end > at && pattern[result.end] === '?') result.end++;
  else if (result.end > at && pattern[result.end] === '+') return { min: 1, max: 1, end: result.end + 1 };
  return result;
}

/** Parses alternatives up to the closing parenthesis (or the end); returns them and the index after. */
function parseAlternatives(pattern: string, start: number): { alternatives: Item[][]; end: number } {
  const alternatives: Item[][] = [[]];
  let i = start;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === ')') return { alternatives, end: i + 1 };
    if (c === '|') {
      alternatives.push([]);
      i++;
      continue;
    }
    let atom: string;
    let inner: Item[][] | undefined;
    let atomEnd: number;
    if (c === '(') {
      const prefix = /^\((?:\?(?:[:=!>]|<[=!]|P?<\w+>|[a-zA-Z]+[:)]))?/.exec(pattern.slice(i))![0];
      const lookaround = /^\(\?<?[=!]/.test(prefix);
      const parsed = parseAlternatives(pattern, i + prefix.length);
      atomEnd = parsed.end;
      atom = pattern.slice(i, atomEnd);
      inner = lookaround ? undefined : parsed.alternatives;
      if (lookaround) {
        i = atomEnd;
        continue; // zero-width: matches no characters
      }
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
      atom = pattern.slice(i, atomEnd);
    } else if (c === '\\') {
      const escape = /^\\(?:[pP]\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|c[A-Za-z]|0\d{0,2}|k<\w+>|.)/s.exec(pattern.slice(i))![0];
      atomEnd = i + escape.length;
      atom = escape;
      if (/^\\[bBAzZG]$/.test(escape)) {
        i = atomEnd;
        continue; // anchors
      }
    } else if (c === '^' || c === '$') {
      i++;
      continue;
    } else {
      atomEnd = i + 1;
      atom = c === '.' ? '[^\\n]' : /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
    }
    const quantifier = readQuantifier(pattern, atomEnd);
    alternatives.at(-1)!.push({ atom, min: quantifier.min, max: quantifier.max, quantifier: pattern.slice(atomEnd, quantifier.end), ...(inner ? { alternatives: inner } : {}) });
    i = quantifier.end;
  }
  return { alternatives, end: i };
}

/** Whether a sequence of items is ambiguous under repetition (see the file comment). */
function ambiguousSequence(sequence: readonly Item[]): boolean {
  for (const item of sequence) {
    const unbounded = item.max === Infinity || (item.alternatives !== undefined && containsUnbounded(item.alternatives));
    if (!unbounded) continue;
    const set = charset(item);
    const required = sequence.filter((other) => other !== item && other.min > 0);
    if (required.every((other) => overlaps(charset(other), set))) return true;
  }
  return false;
}

function containsUnbounded(alternatives: readonly Item[][]): boolean {
  return alternatives.some((sequence) => sequence.some((item) => item.max === Infinity || (item.alternatives !== undefined && containsUnbounded(item.alternatives))));
}

function findCulprit(alternatives: readonly Item[][]): string | undefined {
  for (const sequence of alternatives) {
    for (const item of sequence) {
      if (!item.alternatives) continue;
      if (item.max === Infinity || item.max >= 10) {
        if (item.alternatives.some((inner) => ambiguousSequence(inner))) return item.atom + item.quantifier;
      }
      const nested = findCulprit(item.alternatives);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The offending repeated group (`(\w+\s?)*`), or undefined when the pattern has none. */
export function nestedQuantifier(pattern: string): string | undefined {
  if (pattern.length > 2000 || !/[*+}]/.test(pattern)) return undefined;
  try {
    return findCulprit(parseAlternatives(pattern, 0).alternatives);
  } catch {
    return undefined;
  }
}
