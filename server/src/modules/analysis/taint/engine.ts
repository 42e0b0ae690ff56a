import type { SgNode } from '@ast-grep/napi';
import type { IrCall, IrFunction, IrModule } from './ir.ts';
import { CONSTRUCTOR_NAMES, ROUNDS, type EngineContext, type Summary, type TaintHit } from './engine-support.ts';
import { FunctionRun } from './function-run.ts';
import type { ModelSet, SinkKind } from './models.ts';
import { join, type Val } from './values.ts';

export type { TaintHit } from './engine-support.ts';

/**
 * The taint engine: abstract interpretation of each IrFunction, in source order, over a state
 * that maps variable names to abstract values (values.ts). Branches are joined, loops run twice,
 * constant conditions prune dead branches. Calls to functions of the same file use per-function
 * summaries (which parameters reach the return value, which reach a sink); summaries and class
 * fields are recomputed for a few rounds so callers see callees in any order.
 */

export class TaintEngine implements EngineContext {
  readonly #module: IrModule;
  readonly #models: ModelSet;
  readonly #summaries = new Map<IrFunction, Summary>();
  readonly #classFields = new Map<string, Map<string, Val>>();
  readonly #byName = new Map<string, IrFunction[]>();
  readonly #classNames: Set<string>;
  readonly #enums: Set<string>;
  #hits = new Map<SgNode, Map<SinkKind, TaintHit>>();
  /** Set when a function used another's summary or a class field: another round may change results. */
  #linked = false;

  markLinked(): void {
    this.#linked = true;
  }

  constructor(module: IrModule, models: ModelSet) {
    this.#module = module;
    this.#models = models;
    this.#classNames = new Set(module.classes.map((c) => c.name));
    this.#enums = new Set(module.classes.filter((c) => c.isEnum).map((c) => c.name));
    for (const fn of module.functions) {
      let list = this.#byName.get(fn.name);
      if (!list) this.#byName.set(fn.name, (list = []));
      list.push(fn);
    }
  }

  run(): TaintHit[] {
    // later rounds only matter when functions feed each other (summaries, class fields)
    for (let round = 0; round < ROUNDS; round++) {
      this.#hits = new Map();
      this.#linked = false;
      for (const fn of this.#module.functions) new FunctionRun(this, fn).run();
      if (!this.#linked) break;
    }
    return [...this.#hits.values()].flatMap((byKind) => [...byKind.values()]);
  }

  get models(): ModelSet {
    return this.#models;
  }

  get imports(): Record<string, string> {
    return this.#module.imports;
  }

  get declaredLocals(): ReadonlySet<string> | undefined {
    return this.#module.declaredLocals;
  }

  constructorOf(className: string): IrFunction | undefined {
    return this.#module.functions.find((f) => f.className === className && CONSTRUCTOR_NAMES.has(f.name));
  }

  isEnum(name: string): boolean {
    return this.#enums.has(name);
  }

  isClass(name: string): boolean {
    return this.#classNames.has(name);
  }

  classField(className: string | undefined, key: string): Val | undefined {
    const val = className ? this.#classFields.get(className)?.get(key) : undefined;
    if (val) this.#linked = true;
    return val;
  }

  storeClassField(className: string | undefined, key: string, val: Val): void {
    // only what holds for every instance: untrusted input, not a parameter of one call
    if (val.taints?.some((t) => t.origin !== 'src')) val = { ...val, taints: val.taints.filter((t) => t.origin === 'src') };
    if (!className) return;
    let fields = this.#classFields.get(className);
    if (!fields) this.#classFields.set(className, (fields = new Map()));
    fields.set(key, join(fields.get(key), val));
  }

  summary(fn: IrFunction): Summary | undefined {
    return this.#summaries.get(fn);
  }

  setSummary(fn: IrFunction, summary: Summary): void {
    this.#summaries.set(fn, summary);
  }

  #globals = new Map<string, Val>();

  /** Module-level variables as top-level code leaves them (functions see them, e.g. a logger). */
  setGlobals(state: Map<string, Val>): void {
    this.#globals = new Map(state);
  }

  global(name: string): Val | undefined {
    return this.#globals.get(name);
  }

  unhit(sink: SgNode, kinds: readonly SinkKind[]): void {
    const byKind = this.#hits.get(sink);
    for (const kind of kinds) byKind?.delete(kind);
  }

  hit(hit: TaintHit): void {
    let byKind = this.#hits.get(hit.sink);
    if (!byKind) this.#hits.set(hit.sink, (byKind = new Map()));
    const known = byKind.get(hit.kind);
    if (!known || hit.path.depth < known.path.depth) byKind.set(hit.kind, hit);
  }

  /** Same-file functions a call may reach. */
  resolve(call: IrCall, caller: IrFunction, receiver: Val | undefined): IrFunction | undefined {
    const candidates = this.#byName.get(call.name);
    if (!candidates?.length || call.isNew) return undefined;
    if (!call.receiver) return candidates.find((f) => f.className === caller.className) ?? candidates.find((f) => !f.className) ?? (candidates.length === 1 ? candidates[0] : undefined);
    const recv = call.receiver;
    if (recv.k === 'var' && (recv.name === 'this' || recv.name === 'self' || recv.name === 'super')) {
      return candidates.find((f) => f.className === caller.className) ?? candidates.find((f) => f.className);
    }
    if (receiver?.type && this.#classNames.has(receiver.type)) return candidates.find((f) => f.className === receiver.type);
    if (recv.k === 'var' && this.#classNames.has(recv.name)) return candidates.find((f) => f.className === recv.name);
    return undefined;
  }
}
