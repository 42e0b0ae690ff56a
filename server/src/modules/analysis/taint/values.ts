import type { SgNode } from '@ast-grep/napi';
import type { Literal } from './ir.ts';
import type { SinkKind } from './models.ts';

/**
 * Abstract values of the taint engine. A value knows whether it is tainted (and from where),
 * whether it is a known constant (for folding conditions), whether it is a number/boolean (which
 * carries no injection) and, for objects/maps/lists, what sits under each constant key.
 */

/** One location on a flow path; paths are linked backwards and shared between values. */
export interface Step {
  at: SgNode;
  kind: 'source' | 'step' | 'sink';
  message: string;
  prev?: Step;
  depth: number;
}

export interface Taint {
  /** `src` for untrusted input; `p0`, `p1`, ... for a parameter while summarising a function. */
  origin: string;
  step: Step;
  /** Sink kinds a sanitizer on the way made this taint harmless for. */
  cleared?: ReadonlySet<SinkKind>;
}

export interface Val {
  taints?: Taint[];
  /** A known constant, when `known` is true. */
  known?: boolean;
  value?: Literal;
  /** Numbers, booleans, enum values: nothing to inject. */
  safe?: boolean;
  /** Contents by constant key (object fields, dict/map keys, list indexes). */
  fields?: Map<string, Val>;
  /** Contents under unknown keys (list.add(x), obj[k] = x). */
  rest?: Val;
  /** Length of a list whose elements all sit under known indexes (so add/remove/get(i) stay exact). */
  len?: number;
  /** Declared or constructed type (`new Foo()`), for receiver matching and same-file methods. */
  type?: string;
  /** A function value (lambda) from the same file. */
  fn?: import('./ir.ts').IrFunction;
}

export const EMPTY: Val = {};
export const SAFE: Val = { safe: true };

const MAX_TAINTS = 4;
const MAX_DEPTH = 24;

export function constant(value: Literal): Val {
  return { known: true, value, safe: typeof value !== 'string' };
}

export function step(prev: Step | undefined, at: SgNode, message: string, kind: Step['kind'] = 'step'): Step {
  return { at, kind, message, depth: (prev?.depth ?? 0) + 1, ...(prev ? { prev } : {}) };
}

export function isTainted(val: Val | undefined): boolean {
  return !!val && deepTaints(val).length > 0;
}

/** Taints of the value and of everything inside it (a whole object passed to a sink). */
export function deepTaints(val: Val, limit = 3): Taint[] {
  const out: Taint[] = [...(val.taints ?? [])];
  if (limit > 0) {
    if (val.fields) for (const field of val.fields.values()) out.push(...deepTaints(field, limit - 1));
    if (val.rest) out.push(...deepTaints(val.rest, limit - 1));
  }
  return dedupe(out);
}

function taintKey(taint: Taint): string {
  return `${taint.origin}|${taint.cleared ? [...taint.cleared].sort().join(',') : ''}`;
}

export function dedupe(taints: Taint[]): Taint[] {
  if (taints.length <= 1) return taints;
  const seen = new Map<string, Taint>();
  for (const taint of taints) {
    const key = taintKey(taint);
    const known = seen.get(key);
    // keep the shorter path: it is the one a reader can follow
    if (!known || taint.step.depth < known.step.depth) seen.set(key, taint);
  }
  return [...seen.values()].slice(0, MAX_TAINTS);
}

/** A value carrying the given taints and nothing else known. */
export function tainted(taints: Taint[]): Val {
  return taints.length ? { taints: dedupe(taints) } : EMPTY;
}

/** Adds a step to every taint (assignment, call, return). Paths stop growing past MAX_DEPTH. */
export function withStep(val: Val, at: SgNode, message: string): Val {
  if (!val.taints?.length) return val;
  return { ...val, taints: val.taints.map((t) => (t.step.depth >= MAX_DEPTH ? t : { ...t, step: step(t.step, at, message) })) };
}

export function withStepDeep(taints: Taint[], at: SgNode, message: string): Taint[] {
  return taints.map((t) => (t.step.depth >= MAX_DEPTH ? t : { ...t, step: step(t.step, at, message) }));
}

export function clear(taints: Taint[], kinds: readonly SinkKind[]): Taint[] {
  return taints.map((t) => ({ ...t, cleared: new Set([...(t.cleared ?? []), ...kinds]) }));
}

/** The union of two values that may both reach a point (after an if/else). */
export function join(a: Val | undefined, b: Val | undefined): Val {
  if (!a || a === b) return b ?? a ?? EMPTY;
  if (!b) return a;
  const out: Val = {};
  const taints = [...(a.taints ?? []), ...(b.taints ?? [])];
  if (taints.length) out.taints = dedupe(taints);
  if (a.known && b.known && a.value === b.value) {
    out.known = true;
    out.value = a.value;
  }
  if (a.safe && b.safe) out.safe = true;
  if (a.fields || b.fields) {
    const fields = new Map<string, Val>();
    for (const key of new Set([...(a.fields?.keys() ?? []), ...(b.fields?.keys() ?? [])])) {
      fields.set(key, join(a.fields?.get(key) ?? a.rest ?? EMPTY, b.fields?.get(key) ?? b.rest ?? EMPTY));
    }
    out.fields = fields;
  }
  if (a.rest || b.rest) out.rest = join(a.rest, b.rest);
  if (a.len !== undefined && a.len === b.len) out.len = a.len;
  if (a.type && a.type === b.type) out.type = a.type;
  if (a.fn && a.fn === b.fn) out.fn = a.fn;
  return out;
}

/** Reads key `key` (null: unknown) of an object value. */
export function readKey(obj: Val, key: string | null): Val {
  if (key === null) {
    const parts: Taint[] = [...(obj.taints ?? [])];
    if (obj.fields) for (const field of obj.fields.values()) parts.push(...deepTaints(field, 1));
    if (obj.rest) parts.push(...deepTaints(obj.rest, 1));
    return tainted(parts);
  }
  const field = obj.fields?.get(key);
  if (field) return field;
  // an unknown key of a tainted object (req.query.id) is tainted; so is what was added under unknown keys
  const taints = [...(obj.taints ?? []), ...(obj.rest ? deepTaints(obj.rest, 1) : [])];
  return tainted(taints);
}

/** The object with `key` (null: unknown) set to `value`. */
export function writeKey(obj: Val, key: string | null, value: Val): Val {
  if (key === null) return { ...obj, rest: join(obj.rest, value) };
  const fields = new Map(obj.fields ?? []);
  fields.set(key, value);
  return { ...obj, fields };
}

export function truthy(val: Val): boolean | undefined {
  if (!val.known) return undefined;
  return !!val.value;
}
