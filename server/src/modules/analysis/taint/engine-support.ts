import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrCall, IrFunction } from './ir.ts';
import type { ModelSet, SinkKind, SinkRow } from './models.ts';
import type { Refinement } from './refine.ts';
import { clear, constant, step, type Step, type Val } from './values.ts';

/** Shapes and small pure helpers of the taint engine (engine.ts, function-run.ts). */

export interface TaintHit {
  kind: SinkKind;
  label: string;
  sink: SgNode;
  /** The sink step; `prev` links lead back to the source. */
  path: Step;
}

export interface SinkSummary {
  origin: string;
  kind: SinkKind;
  label: string;
  sink: SgNode;
  path: Step;
}

export interface Summary {
  ret?: Val;
  sinks: SinkSummary[];
  /** For constructors: what they store in the new instance's fields (in terms of their parameters). */
  thisFields?: Map<string, Val>;
  /** For validators (`return x.startsWith('/') && …`): what a true result proves about each parameter. */
  validates?: Map<number, Refinement>;
}

/** What a FunctionRun needs from the engine running the whole file (engine.ts implements it). */
export interface EngineContext {
  readonly models: ModelSet;
  readonly imports: Record<string, string>;
  readonly declaredLocals: ReadonlySet<string> | undefined;
  isClass(name: string): boolean;
  isEnum(name: string): boolean;
  constructorOf(className: string): IrFunction | undefined;
  classField(className: string | undefined, key: string): Val | undefined;
  storeClassField(className: string | undefined, key: string, val: Val): void;
  summary(fn: IrFunction): Summary | undefined;
  setSummary(fn: IrFunction, summary: Summary): void;
  hit(hit: TaintHit): void;
  unhit(sink: SgNode, kinds: readonly SinkKind[]): void;
  resolve(call: IrCall, caller: IrFunction, receiver: Val | undefined): IrFunction | undefined;
  markLinked(): void;
  setGlobals(state: Map<string, Val>): void;
  global(name: string): Val | undefined;
}

export const CONSTRUCTOR_NAMES = new Set(['constructor', '__init__', '<init>']);

export const WHERE_SINK: SinkRow = { kind: 'nosql-where', args: [], label: 'a NoSQL $where expression' };

export function exprNode(e: Expr): SgNode | undefined {
  return e.k === 'fn' ? e.fn.at : e.at;
}

export type State = Map<string, Val>;

export const ROUNDS = 3;
export const NUMERIC_TYPES = /^(int|long|short|byte|double|float|boolean|char|Integer|Long|Short|Byte|Double|Float|Boolean|BigDecimal|BigInteger|bool|int8|int16|int32|int64|uint|uint8|uint16|uint32|uint64|float32|float64|number|UUID|LocalDate|Date)$/;
export const SIZE_MEMBERS = new Set(['length', 'size', 'Length', 'len', 'count']);
export const ADDERS = new Set(['add', 'push', 'append', 'addAll', 'extend', 'insert', 'offer', 'unshift', 'addElement', 'addLast', 'addFirst', 'write', 'print', 'WriteString', 'WriteRune', 'WriteByte', 'Write']);
export const KEYED_WRITERS = new Set(['put', 'set', 'setdefault', 'putIfAbsent']);
export const KEYED_READERS = new Set(['get', 'getOrDefault', 'pop', 'getFirst', 'elementAt']);
export const LIST_TYPES = /^(ArrayList|LinkedList|List|Vector|ArrayDeque|Stack)\b/;

/** A URL whose scheme and host (or a same-site path) are constant cannot send a request or a user elsewhere. */
export const FIXED_ORIGIN = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]|\/[^/\\])/i;

export function fixedPrefix(first: Val | undefined, built: Val): Val {
  if (!built.taints || !first?.known || typeof first.value !== 'string' || !FIXED_ORIGIN.test(first.value)) return built;
  return { ...built, taints: clear(built.taints, ['ssrf', 'redirect']) };
}

export const REPLACERS = new Set(['replace', 'replaceAll', 'sub', 'Replace', 'ReplaceAll', 'ReplaceAllString', 'translate']);

/**
 * A replace that removes line breaks (`replace(/[\r\n]/g, '')`) stops log forging; one whose
 * replacement is `\\$&` escapes regex metacharacters.
 */
export function strippedKinds(call: IrCall, args: Val[]): SinkKind[] {
  if (!REPLACERS.has(call.name)) return [];
  const texts = args.filter((a) => a.known && typeof a.value === 'string').map((a) => String(a.value));
  const kinds: SinkKind[] = [];
  if (texts.some((t) => /\\[rn]|[\r\n]/.test(t))) kinds.push('log');
  if (texts.some((t) => t === '\\$&' || t === '\\\\$&')) kinds.push('regex');
  // removing `../` sequences (after normalization) keeps a path inside its base
  if (texts.some((t) => t.includes('\\.\\.') || t === '..' || t === '../')) kinds.push('path');
  return kinds;
}

/** Methods on constant strings fold to constants: `"ABC".charAt(2)` is `'C'` (switch targets). */
export function foldStringCall(name: string, receiver: Val | undefined, args: Val[]): Val | undefined {
  if (!receiver?.known || typeof receiver.value !== 'string' || !args.every((a) => a.known)) return undefined;
  const text = receiver.value;
  const [a, b] = args.map((arg) => arg.value);
  switch (name) {
    case 'charAt': return typeof a === 'number' && a < text.length ? constant(text.charAt(a)) : undefined;
    case 'substring': return typeof a === 'number' ? constant(text.substring(a, typeof b === 'number' ? b : undefined)) : undefined;
    case 'toUpperCase': case 'upper': return constant(text.toUpperCase());
    case 'toLowerCase': case 'lower': return constant(text.toLowerCase());
    case 'trim': case 'strip': return constant(text.trim());
    case 'equals': return typeof a === 'string' ? constant(text === a) : undefined;
    case 'isEmpty': return constant(text.length === 0);
    default: return undefined;
  }
}

export function removeIndex(list: Val, index: number): Val {
  const len = list.len ?? 0;
  const fields = new Map(list.fields ?? []);
  for (let i = index; i < len - 1; i++) {
    const next = fields.get(String(i + 1));
    if (next) fields.set(String(i), next);
    else fields.delete(String(i));
  }
  fields.delete(String(len - 1));
  return { ...list, fields, len: Math.max(0, len - 1) };
}

/** Appends the callee's path (param .. sink) after the caller's path (source .. call). */
export function splice(caller: Step, callee: Step): Step {
  const calleeSteps: Step[] = [];
  for (let s: Step | undefined = callee; s; s = s.prev) calleeSteps.unshift(s);
  let out = caller;
  for (const s of calleeSteps) out = step(out, s.at, s.message, s.kind === 'source' ? 'step' : s.kind);
  return out;
}


export function fold(op: string, a: unknown, b: unknown): string | number | boolean | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return b === 0 ? undefined : a / b;
      case '%': return b === 0 ? undefined : a % b;
      case '<': return a < b;
      case '>': return a > b;
      case '<=': return a <= b;
      case '>=': return a >= b;
    }
  }
  switch (op) {
    case '==': case '===': case 'is': return a === b;
    case '!=': case '!==': case 'is not': return a !== b;
    case '+': return typeof a === 'string' || typeof b === 'string' ? `${String(a)}${String(b)}` : undefined;
  }
  return undefined;
}

