/**
 * The building blocks of the accuracy corpus (test/fixtures/accuracy/). A flow case is a request
 * handler of some framework (where data enters), a propagation shape (how it moves: a local, a
 * helper, a map, a field, a folded branch...) and a sink usage (where it is used). Each vulnerable
 * case gets a safe twin of the same shape with one change: a sanitizer or safe API, a constant, a
 * dead branch, another map key, or a number. Rules that need no flow (weak crypto, cookies,
 * secrets, CSRF) are written as explicit vulnerable/safe pairs per language.
 */

export type CorpusLanguage = 'javascript' | 'typescript' | 'python' | 'java' | 'go';

/** Code a piece contributes: module imports, top-level declarations and handler statements. */
export interface Emit {
  imports?: string[];
  top?: string[];
  lines: string[];
}

export interface Framework {
  id: string;
  /** An expression reading the untrusted string value named `key` (varied by `i`). */
  source(key: string, i: number): string;
  /** A statement answering the request with the text expression `expr`. */
  respond(expr: string): string;
  /** The whole file around the handler body. `unit` is a unique identifier stem (class/func names). */
  render(parts: { imports: string[]; top: string[]; body: string[]; key: string; unit: string; i: number }): string;
}

export type PropagationMode = 'live' | 'dead' | 'otherKey';

export interface Propagation {
  id: string;
  /** The safe modes this shape has a natural twin for. */
  safeModes: Array<'dead' | 'otherKey'>;
  /** Moves `src` into a value named after `name`; returns the expression holding it. */
  apply(src: string, name: string, mode: PropagationMode, literal: string): Emit & { expr: string };
}

export type SinkUse = (value: string, fw: Framework, name: string) => Emit;

export interface Sink {
  cwe: string;
  /** File-name stem, e.g. `sqli`. */
  stem: string;
  /** Request keys / variable names, used round-robin so names vary. */
  keys: string[];
  /** Source-code literals a safe twin may use instead of the request value. */
  literals: string[];
  /** Framework ids this sink makes sense in (default: all server frameworks of the language). */
  frameworks?: string[];
  vulnerable: SinkUse[];
  /** The same sink used safely: parameterized, encoded, checked, allow-listed. */
  sanitized: SinkUse[];
  /** True when a parsed number cannot carry the attack into this sink. */
  numericSafe?: boolean;
  /** How many vulnerable cases (each with a twin) to generate. */
  count?: number;
}

/** A hand-written pair (or single case) for rules that need no data flow. */
export interface FixedCase {
  vulnerable: boolean;
  /** The file text; `$UNIT` is replaced with a unique identifier stem. */
  text: string;
  /** Cases sharing a twin id are a vulnerable/safe pair. */
  twin?: string;
}

export interface FixedGroup {
  cwe: string;
  stem: string;
  cases: FixedCase[];
}

export interface LanguageModels {
  language: CorpusLanguage;
  ext: string;
  frameworks: Framework[];
  propagations: Propagation[];
  sinks: Sink[];
  fixed: FixedGroup[];
  /** Wraps a source expression into a parsed number (the "numeric" safe twin); may need helpers. */
  numeric(src: string): string | (Emit & { expr: string });
}

export interface CorpusFile {
  /** Relative to test/fixtures/accuracy/. */
  file: string;
  cwe: string;
  vulnerable: boolean;
  text: string;
  /** For a safe twin: how it was made safe (`sanitize`, `constant`, `dead`, `otherKey`, `numeric`, `fixed`). */
  twinKind?: string;
}

/** Deterministic PRNG so regenerating gives the same corpus. */
export function prng(seedText: string): () => number {
  let seed = 2166136261;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(3, '0');
const unitOf = (stem: string, n: number, letter: string) =>
  stem.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()) + pad(n) + letter.toUpperCase();

/** `$UNIT` → `Sqli001A` (class names), `$SNAKE` → `sqli001_a` (Python/Go function names). */
function withUnit(text: string, unit: string): string {
  const snake = unit.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return text.replaceAll('$UNIT', unit).replaceAll('$SNAKE', snake);
}

function assemble(fw: Framework, pieces: Emit[], key: string, i: number): string {
  const imports = [...new Set(pieces.flatMap((p) => p.imports ?? []))];
  const top = [...new Set(pieces.flatMap((p) => p.top ?? []))];
  return fw.render({ imports, top, body: pieces.flatMap((p) => p.lines), key, unit: '$UNIT', i }).replace(/^\n+/, '');
}

type SafeKind = 'dead' | 'otherKey' | 'sanitize' | 'constant' | 'numeric';

/** Vulnerable cases of one sink, each followed by its safe twin (a/b letters assigned at random). */
export function flowCases(models: LanguageModels, sink: Sink): CorpusFile[] {
  const random = prng(`${models.language}/${sink.cwe}/${sink.stem}`);
  const frameworks = models.frameworks.filter((fw) => (sink.frameworks ? sink.frameworks.includes(fw.id) : !fw.id.startsWith('browser')));
  const count = sink.count ?? 5;
  const out: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const fw = frameworks[i % frameworks.length];
    const prop = models.propagations[(i * 3 + sink.stem.length) % models.propagations.length];
    const use = i % sink.vulnerable.length;
    const key = sink.keys[i % sink.keys.length];
    const literal = sink.literals[i % sink.literals.length];
    const src = fw.source(key, i);
    // Weighted so the precision features the engine must have (folded branches, keys, sanitizers)
    // are asked more often than the easy constant twin.
    const options: SafeKind[] = [...prop.safeModes, ...prop.safeModes, 'sanitize', 'sanitize', 'sanitize', 'constant'];
    if (sink.numericSafe) options.push('numeric');
    const kind = options[Math.floor(random() * options.length)];
    const live = prop.apply(src, key, 'live', literal);
    const vulnerable = assemble(fw, [live, sink.vulnerable[use](live.expr, fw, key)], key, i);
    let safePieces: Emit[];
    if (kind === 'dead' || kind === 'otherKey') {
      const moved = prop.apply(src, key, kind, literal);
      safePieces = [moved, sink.vulnerable[use](moved.expr, fw, key)];
    } else if (kind === 'sanitize') {
      // The sanitized use at the same index mirrors the vulnerable one; extra ones rotate in.
      const which = sink.sanitized.length > sink.vulnerable.length ? i % sink.sanitized.length : use % sink.sanitized.length;
      safePieces = [live, sink.sanitized[which](live.expr, fw, key)];
    } else {
      const constant = sink.literals[(i + 1) % sink.literals.length];
      const numeric = kind === 'numeric' ? models.numeric(src) : undefined;
      const numericExpr = typeof numeric === 'object' ? numeric.expr : numeric;
      const moved = prop.apply(kind === 'constant' ? constant : (numericExpr as string), key, 'live', literal);
      safePieces = [...(typeof numeric === 'object' ? [{ ...numeric, lines: [] }] : []), moved, sink.vulnerable[use](moved.expr, fw, key)];
    }
    const safe = assemble(fw, safePieces, key, i);
    const vulnerableFirst = random() < 0.5;
    for (const [letter, isVulnerable] of [['a', vulnerableFirst], ['b', !vulnerableFirst]] as const) {
      const text = withUnit(isVulnerable ? vulnerable : safe, unitOf(sink.stem, i + 1, letter));
      out.push({ file: `${models.language}/${sink.cwe}/${sink.stem}-${pad(i + 1)}${letter}.${models.ext}`, cwe: sink.cwe, vulnerable: isVulnerable, text, ...(isVulnerable ? {} : { twinKind: kind }) });
    }
  }
  return out;
}

/** Fixed pairs: twins share a stem number (a/b), singles get their own number. */
export function fixedCases(models: LanguageModels, group: FixedGroup, startAt = 1): CorpusFile[] {
  const out: CorpusFile[] = [];
  const byTwin = new Map<string, FixedCase[]>();
  const singles: FixedCase[] = [];
  for (const c of group.cases) {
    if (c.twin) byTwin.set(c.twin, [...(byTwin.get(c.twin) ?? []), c]);
    else singles.push(c);
  }
  let n = startAt;
  const random = prng(`${models.language}/${group.cwe}/${group.stem}/fixed`);
  for (const pair of byTwin.values()) {
    const ordered = random() < 0.5 ? pair : [...pair].reverse();
    ordered.forEach((c, k) => {
      const letter = 'ab'[k];
      const unit = unitOf(group.stem, n, letter);
      out.push({ file: `${models.language}/${group.cwe}/${group.stem}-${pad(n)}${letter}.${models.ext}`, cwe: group.cwe, vulnerable: c.vulnerable, text: withUnit(c.text, unit), ...(c.vulnerable ? {} : { twinKind: 'fixed' }) });
    });
    n++;
  }
  for (const c of singles) {
    const unit = unitOf(group.stem, n, '');
    out.push({ file: `${models.language}/${group.cwe}/${group.stem}-${pad(n)}.${models.ext}`, cwe: group.cwe, vulnerable: c.vulnerable, text: withUnit(c.text, unit) });
    n++;
  }
  return out;
}

/** A vulnerable/safe pair for `fixed` groups. */
export const pair = (twin: string, vulnerable: string, safe: string): FixedCase[] => [
  { twin, vulnerable: true, text: vulnerable },
  { twin, vulnerable: false, text: safe },
];
