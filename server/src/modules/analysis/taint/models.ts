import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { Language } from '#protocol/findings.ts';

/**
 * Sources, sinks, sanitizers and propagators as DATA (taint/models/*.yml), so adding a framework
 * is a YAML edit, not code. Rows are indexed by method/member name: the engine looks rows up by
 * the name it sees, then checks the row's optional regexes (resolved callee, receiver, object).
 *
 * Row fields (all regexes are JavaScript syntax, tested against resolved dotted names):
 * - `method`: `a|b|c` plain names (required for call rows); `member`: same, for property reads.
 * - `qname`: the callee path after import resolution (`child_process.exec`, `os.system`).
 * - `receiver` / `object`: the receiver's (or read object's) resolved path OR declared type.
 * - `receiverNot`: rejects receivers (`res.query` is not a database).
 * - sinks: `kind` (see flow-rules.ts), `args` (`all` or indexes), `when` (`named: {shell: true}`,
 *   `option: shell` for a JS options object, `argConst: {0: regex}` for constant arguments).
 * - sanitizers: `clears` (`all` = the value cannot carry injection, e.g. parseInt).
 * - sources on parameters: `param: true` with `annotation` (Spring) or `decorator` (+ `route`), or
 *   `precededBy` (Django), narrowed by `safeTypes`/`skipTypes`/`paramType`, and in methods by `methodName`.
 * - a source or sink `qname` row never matches a call on a variable the file declares from something
 *   other than an import (`const fs = resolver.fileSystem`): see `IrModule.declaredLocals`.
 */

export type SinkKind =
  | 'sql' | 'command' | 'path' | 'xss' | 'ldap' | 'xpath' | 'trust-boundary' | 'ssrf' | 'redirect' | 'nosql' | 'log'
  | 'code' | 'deserialization' | 'regex'
  /** A Mongo `$where` string: reported as `nosql`, but `String(x)` (which stops operator injection) does not clear it. */
  | 'nosql-where'
  /** Not a sink: marks a path that went through normalization, so a later prefix check clears `path`. */
  | 'normalized';

export interface CallMatch {
  method?: string;
  member?: string;
  qname?: RegExp;
  receiver?: RegExp;
  receiverNot?: RegExp;
  object?: RegExp;
  /** For calls: also match `new X(...)` only when true / only plain calls when false. */
  isNew?: boolean;
}

export interface SourceRow extends CallMatch {
  label: string;
  param?: boolean;
  annotation?: RegExp;
  decorator?: RegExp;
  /** Decorated handler: only parameters named in the route string (`<name>`, `{name}`) are input. */
  route?: boolean;
  /** Parameters whose declared type matches carry no injection (FastAPI `int`). */
  safeTypes?: RegExp;
  /** Parameters whose declared type matches are framework objects, not input. */
  skipTypes?: RegExp;
  /** The call fills its first argument with input (gin `c.ShouldBindJSON(&body)`) instead of returning it. */
  intoArg?: boolean;
  /** Parameters after one whose name matches (Django views: `def view(request, slug)`). */
  precededBy?: RegExp;
  /** In a method, only when the method's name matches (a class-based view's `get`, not any method taking a `request`). */
  methodName?: RegExp;
  /** For `param` rows: the parameter's declared type (Go `*http.Request` is not itself input). */
  paramType?: RegExp;
}

export interface SinkRow extends CallMatch {
  kind: SinkKind;
  args: 'all' | number[];
  /** The receiver is checked too: `new URL(input).openConnection()`, `new ObjectInputStream(input).readObject()`. */
  receiverSink?: boolean;
  /** Only the argument's own taint counts, not what is inside it (a dict of Flask strings is a safe Mongo filter). */
  shallow?: boolean;
  /** Keyword arguments that are sinks (Python `query=`). */
  namedArgs?: string[];
  /** The receiver itself is the sink (`stmt.execute()` of a tainted statement is not modelled; Go `template.HTML`). */
  when?: { named?: Record<string, unknown>; option?: string; argConst?: Record<string, RegExp>; notNamed?: Record<string, unknown>; shellList?: boolean };
  /** Not a sink when a keyword argument (or the second positional one) names a safe choice: `Loader=SafeLoader`. */
  unless?: { named?: Record<string, RegExp>; arg1?: RegExp };
  /** The function's return value is the sink (Flask views return HTML), for functions with `decorator`. */
  onReturn?: boolean;
  decorator?: RegExp;
  label: string;
}

export interface SanitizerRow extends CallMatch {
  clears: 'all' | SinkKind[];
}

export interface PropagatorRow extends CallMatch {
  /** The type of what the call returns (`Runtime.getRuntime()` is a `Runtime`), for receiver matching. */
  type?: string;
  /** `receiver`: the call's argument taints flow into the receiver (builder.append(x)). */
  to: 'return' | 'receiver' | 'none';
  from: 'args' | 'receiver' | 'both';
}

export interface ModelSet {
  sources: SourceRow[];
  sinks: SinkRow[];
  sanitizers: SanitizerRow[];
  propagators: PropagatorRow[];
  /** Index by name: method name for calls, member name for reads. */
  byName: Map<string, { sources: SourceRow[]; sinks: SinkRow[]; sanitizers: SanitizerRow[]; propagators: PropagatorRow[] }>;
  paramSources: SourceRow[];
  returnSinks: SinkRow[];
}

/**
 * The models directory: taint/models/ next to this file, or NYX_TAINT_MODELS_DIR (a directory of
 * *.yml files that replaces it, for custom frameworks and for tests of the cache key).
 */
const MODELS_DIR = process.env.NYX_TAINT_MODELS_DIR ? pathToFileURL(`${process.env.NYX_TAINT_MODELS_DIR.replace(/\/$/, '')}/`) : new URL('./models/', import.meta.url);

interface RawFile {
  languages: Language[];
  /** A regex that every file with one of this model's sources matches (the engine skips the others). */
  gate?: string;
  sources?: Array<Record<string, unknown>>;
  sinks?: Array<Record<string, unknown>>;
  sanitizers?: Array<Record<string, unknown>>;
  propagators?: Array<Record<string, unknown>>;
}

function regex(value: unknown): RegExp | undefined {
  return typeof value === 'string' ? new RegExp(value) : undefined;
}

function callMatch(row: Record<string, unknown>): CallMatch {
  const match: CallMatch = {};
  if (typeof row.method === 'string') match.method = row.method;
  if (typeof row.member === 'string') match.member = row.member;
  for (const key of ['qname', 'receiver', 'receiverNot', 'object'] as const) {
    const value = regex(row[key]);
    if (value) match[key] = value;
  }
  if (typeof row.isNew === 'boolean') match.isNew = row.isNew;
  return match;
}

function readModelFiles(): Array<{ name: string; text: string }> {
  return readdirSync(MODELS_DIR)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(new URL(name, MODELS_DIR), 'utf8') }));
}

const files = readModelFiles();

/** sha256 over models files (name and content), shortened: part of the analysis cache key. */
export function hashModelFiles(modelFiles: ReadonlyArray<{ name: string; text: string }>): string {
  const hash = createHash('sha256');
  for (const file of modelFiles) hash.update(file.name).update('\0').update(file.text).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export const MODELS_HASH = hashModelFiles(files);

function buildModelSet(raws: RawFile[]): ModelSet {
  const set: ModelSet = { sources: [], sinks: [], sanitizers: [], propagators: [], byName: new Map(), paramSources: [], returnSinks: [] };
  const entry = (name: string) => {
    let found = set.byName.get(name);
    if (!found) set.byName.set(name, (found = { sources: [], sinks: [], sanitizers: [], propagators: [] }));
    return found;
  };
  for (const raw of raws) {
    for (const row of raw.sources ?? []) {
      const source: SourceRow = { ...callMatch(row), label: String(row.label ?? 'untrusted input'), ...(row.intoArg === true ? { intoArg: true } : {}) };
      if (row.param === true) {
        source.param = true;
        for (const key of ['annotation', 'decorator', 'safeTypes', 'skipTypes', 'paramType', 'precededBy', 'methodName'] as const) {
          const value = regex(row[key]);
          if (value) source[key] = value;
        }
        if (row.route === true) source.route = true;
        set.paramSources.push(source);
        continue;
      }
      set.sources.push(source);
      for (const name of (source.method ?? source.member ?? '').split('|').filter(Boolean)) entry(name).sources.push(source);
    }
    for (const row of raw.sinks ?? []) {
      const when = row.when as Record<string, unknown> | undefined;
      const sink: SinkRow = {
        ...callMatch(row),
        kind: row.kind as SinkKind,
        args: row.args === 'all' || row.args === undefined ? 'all' : (row.args as number[]),
        label: String(row.label ?? row.method ?? 'sink'),
        ...(Array.isArray(row.namedArgs) ? { namedArgs: row.namedArgs as string[] } : {}),
        ...(row.shallow === true ? { shallow: true } : {}),
        ...(row.receiverSink === true ? { receiverSink: true } : {}),
      };
      const unless = row.unless as { named?: Record<string, string>; arg1?: string } | undefined;
      if (unless) {
        sink.unless = {
          ...(unless.named ? { named: Object.fromEntries(Object.entries(unless.named).map(([k, v]) => [k, new RegExp(v)])) } : {}),
          ...(unless.arg1 ? { arg1: new RegExp(unless.arg1) } : {}),
        };
      }
      if (row.onReturn === true) {
        sink.onReturn = true;
        const decorator = regex(row.decorator);
        if (decorator) sink.decorator = decorator;
        set.returnSinks.push(sink);
        continue;
      }
      if (when) {
        sink.when = {
          ...(when.named ? { named: when.named as Record<string, unknown> } : {}),
          ...(when.notNamed ? { notNamed: when.notNamed as Record<string, unknown> } : {}),
          ...(typeof when.option === 'string' ? { option: when.option } : {}),
          ...(when.shellList === true ? { shellList: true } : {}),
          ...(when.argConst ? { argConst: Object.fromEntries(Object.entries(when.argConst as Record<string, string>).map(([k, v]) => [k, new RegExp(v)])) } : {}),
        };
      }
      set.sinks.push(sink);
      for (const name of (sink.method ?? sink.member ?? '').split('|').filter(Boolean)) entry(name).sinks.push(sink);
    }
    for (const row of raw.sanitizers ?? []) {
      const sanitizer: SanitizerRow = { ...callMatch(row), clears: row.clears === 'all' ? 'all' : (row.clears as SinkKind[]) };
      set.sanitizers.push(sanitizer);
      for (const name of (sanitizer.method ?? sanitizer.member ?? '').split('|').filter(Boolean)) entry(name).sanitizers.push(sanitizer);
    }
    for (const row of raw.propagators ?? []) {
      const propagator: PropagatorRow = { ...callMatch(row), to: (row.to as PropagatorRow['to']) ?? 'return', from: (row.from as PropagatorRow['from']) ?? 'both', ...(typeof row.type === 'string' ? { type: row.type } : {}) };
      set.propagators.push(propagator);
      for (const name of (propagator.method ?? '').split('|').filter(Boolean)) entry(name).propagators.push(propagator);
    }
  }
  return set;
}

const parsedFiles: RawFile[] = files.map((file) => {
  const raw = parseYaml(file.text) as RawFile;
  if (!raw || !Array.isArray(raw.languages)) throw new Error(`taint model ${file.name} has no languages list`);
  return raw;
});

const byLanguage = new Map<Language, ModelSet>();

/** The merged models of every file that lists the language. */
export function modelsFor(language: Language): ModelSet {
  let set = byLanguage.get(language);
  if (!set) byLanguage.set(language, (set = buildModelSet(parsedFiles.filter((raw) => raw.languages.includes(language)))));
  return set;
}

/**
 * What a file must contain for any model source to match: the OR of the models' `gate` regexes.
 * Lowering costs a native call per syntax node, so this cheap text test decides whether a file is
 * worth it; a models file without a gate falls back to its source names as words.
 */
export function sourceGate(language: Language): RegExp {
  const raws = parsedFiles.filter((raw) => raw.languages.includes(language) && (raw.sources?.length ?? 0) > 0);
  if (raws.length && raws.every((raw) => typeof raw.gate === 'string')) return new RegExp(raws.map((raw) => `(?:${raw.gate})`).join('|'));
  const set = modelsFor(language);
  const words = new Set<string>();
  for (const row of [...set.sources, ...set.paramSources]) {
    for (const name of (row.method ?? row.member ?? '').split('|').filter(Boolean)) words.add(name);
    if (row.annotation) words.add(row.annotation.source.replace(/[^A-Za-z|]/g, ''));
    if (row.decorator) words.add('@');
  }
  const alternatives = [...words].flatMap((word) => word.split('|')).filter(Boolean);
  return new RegExp(alternatives.map((word) => word.replace(/[.*+?^${}()[\]\\]/g, '\\$&')).join('|'));
}
