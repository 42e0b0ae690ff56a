import type { SgNode } from '@ast-grep/napi';
import {
  ADDERS, CONSTRUCTOR_NAMES, type EngineContext, exprNode, fixedPrefix, fold, foldStringCall, KEYED_READERS, KEYED_WRITERS, LIST_TYPES, NUMERIC_TYPES,
  removeIndex, SIZE_MEMBERS, splice, strippedKinds, WHERE_SINK, type State, type Summary,
} from './engine-support.ts';
import type { Expr, IrCall, IrFunction, LValue, Stmt } from './ir.ts';
import { dottedPath } from './lower-javascript.ts';
import type { SinkRow, SourceRow } from './models.ts';
import { refine, type Refinement } from './refine.ts';
import {
  clear, constant, deepTaints, EMPTY, join, readKey, SAFE, step, tainted, truthy, withStep, withStepDeep, writeKey,
  type Taint, type Val,
} from './values.ts';

/**
 * Interprets one IrFunction (see engine.ts): statements in order over a state of abstract values,
 * checking model sources, sinks, sanitizers and propagators at every read and call, and recording
 * the function's summary for its callers.
 */
export class FunctionRun {
  readonly #engine: EngineContext;
  readonly #fn: IrFunction;
  readonly #summary: Summary = { sinks: [] };
  #ret: Val | undefined;

  constructor(engine: EngineContext, fn: IrFunction) {
    this.#engine = engine;
    this.#fn = fn;
  }

  run(): void {
    const state: State = new Map();
    this.#fn.params.forEach((param, i) => {
      const source = this.paramSource(param);
      const declaredSafe = param.type && NUMERIC_TYPES.test(param.type.replace(/^\*/, ''));
      const at = param.at ?? this.#fn.at;
      if (declaredSafe) state.set(param.name, { ...SAFE, type: param.type });
      else if (source) state.set(param.name, { taints: [{ origin: 'src', step: step(undefined, at, `${source.label}: parameter \`${param.name}\``, 'source') }], ...(param.type ? { type: param.type } : {}) });
      else state.set(param.name, { taints: [{ origin: `p${i}`, step: step(undefined, at, `parameter \`${param.name}\` of \`${this.#fn.name}\``) }], ...(param.type ? { type: param.type } : {}) });
    });
    this.block(this.#fn.body, state);
    if (this.#fn.name === '<module>') this.#engine.setGlobals(state);
    if (this.#ret) this.#summary.ret = this.#ret;
    const thisFields = state.get('this')?.fields;
    if (CONSTRUCTOR_NAMES.has(this.#fn.name) && thisFields) this.#summary.thisFields = thisFields;
    this.#engine.setSummary(this.#fn, this.#summary);
  }

  paramSource(param: IrFunction['params'][number]): SourceRow | undefined {
    const index = this.#fn.params.indexOf(param);
    for (const row of this.#engine.models.paramSources) {
      if (row.methodName && this.#fn.className !== undefined && !row.methodName.test(this.#fn.name)) continue;
      if (row.precededBy) {
        if (index > 0 && this.#fn.params.slice(0, index).some((p) => row.precededBy!.test(p.name)) && !(param.type && NUMERIC_TYPES.test(param.type))) return row;
        continue;
      }
      if (row.annotation && param.annotations?.some((a) => row.annotation!.test(a))) return row;
      if (row.paramType && param.type && row.paramType.test(param.type)) return row;
      if (row.decorator && this.#fn.decorators?.some((d) => row.decorator!.test(this.resolveName(d)))) {
        if (row.skipTypes && param.type && row.skipTypes.test(param.type)) continue;
        if (row.safeTypes && param.type && row.safeTypes.test(param.type)) continue;
        if (row.route) {
          const texts = this.#fn.decoratorTexts ?? [];
          const named = new RegExp(`[<{](?:[a-z]+:)?${param.name}[>}]`);
          if (!texts.some((t) => named.test(t))) continue;
        }
        return row;
      }
    }
    return undefined;
  }

  resolveName(path: string): string {
    const dot = path.indexOf('.');
    const root = dot < 0 ? path : path.slice(0, dot);
    const resolved = this.#engine.imports[root];
    return resolved === undefined ? path : resolved + (dot < 0 ? '' : path.slice(dot));
  }

  /** True when the path's root is a variable of this file, not an import (`fs` = a virtual file system). */
  isDeclaredLocal(path: string): boolean {
    const root = path.split('.', 1)[0]!;
    return this.#engine.imports[root] === undefined && !!this.#engine.declaredLocals?.has(root);
  }

  // ---- statements -------------------------------------------------------------------------

  /** Runs a block; returns false when it always exits (return/throw). */
  block(stmts: Stmt[], state: State): boolean {
    for (const stmt of stmts) if (!this.stmt(stmt, state)) return false;
    return true;
  }

  stmt(stmt: Stmt, state: State): boolean {
    switch (stmt.k) {
      case 'assign': {
        let value = this.expr(stmt.value, state);
        if (stmt.type) value = NUMERIC_TYPES.test(stmt.type) ? (value.known ? value : { ...SAFE, type: stmt.type }) : { ...value, type: value.type ?? stmt.type };
        this.assign(stmt.target, value, state, stmt.at);
        return true;
      }
      case 'expr':
        this.expr(stmt.e, state);
        return true;
      case 'return': {
        if (stmt.value) this.noteValidator(stmt.value);
        const value = stmt.value ? this.expr(stmt.value, state) : EMPTY;
        this.returnSinks(value, stmt.at);
        this.#ret = join(this.#ret, withStep(value, stmt.at, `returned from \`${this.#fn.name}\``));
        return false;
      }
      case 'exit':
        return false;
      case 'if': {
        const test = this.expr(stmt.test, state);
        const known = truthy(test);
        if (known === true) return this.block(stmt.then, state);
        if (known === false) return this.block(stmt.else, state);
        const { whenTrue, whenFalse } = refine(stmt.test, this.callRefiner);
        const thenState = this.applyRefinements(new Map(state), whenTrue);
        const elseState = this.applyRefinements(new Map(state), whenFalse);
        const thenLive = this.block(stmt.then, thenState);
        const elseLive = this.block(stmt.else, elseState);
        return this.merge(state, [thenLive ? thenState : undefined, elseLive ? elseState : undefined]);
      }
      case 'choice': {
        const results = stmt.arms.map((arm) => {
          const armState = new Map(state);
          return this.block(arm, armState) ? armState : undefined;
        });
        return this.merge(state, results);
      }
      case 'loop': {
        let current = new Map(state);
        for (let i = 0; i < 2; i++) {
          const next = new Map(current);
          this.block(stmt.body, next);
          this.merge(current, [current, next]);
        }
        this.merge(state, [state, current]);
        return true;
      }
    }
  }

  /** Replaces `state` with the join of the live branch states; false when none is live. */
  merge(state: State, branches: Array<State | undefined>): boolean {
    const live = branches.filter((b): b is State => !!b);
    if (!live.length) return false;
    const keys = new Set(live.flatMap((b) => [...b.keys()]));
    state.clear();
    for (const key of keys) {
      let value: Val | undefined;
      for (const branch of live) value = value === undefined ? (branch.get(key) ?? EMPTY) : join(value, branch.get(key) ?? EMPTY);
      if (value) state.set(key, value);
    }
    return true;
  }

  applyRefinements(state: State, refinements: Refinement[]): State {
    for (const r of refinements) {
      const current = state.get(r.name);
      if (!current && r.effect !== 'const') continue;
      if (r.effect === 'clean') state.set(r.name, SAFE);
      else if (r.effect === 'const') state.set(r.name, constant(r.value ?? null));
      else if (current?.taints) {
        // a prefix check only protects a path that was normalized first (`..` resolved)
        const needsNormalized = r.clears?.includes('path');
        state.set(r.name, { ...current, taints: current.taints.map((t) => (needsNormalized && !t.cleared?.has('normalized') ? t : clear([t], r.clears ?? [])[0]!)) });
      }
    }
    return state;
  }

  assign(target: LValue, value: Val, state: State, at: SgNode): void {
    if (target.k === 'var') {
      state.set(target.name, withStep(value, at, `assigned to \`${target.name}\``));
      return;
    }
    const stepped = withStep(value, at, target.key ? `stored in \`${target.key}\`` : 'stored in a container');
    this.fieldWriteSinks(target, stepped, state, at);
    this.writeInto(target.obj, target.key, stepped, state);
  }

  /** Writes `value` under `key` into the object an expression names (a var, this.x, a.b). */
  writeInto(objExpr: Expr, key: string | null, value: Val, state: State): void {
    if (objExpr.k === 'var') {
      const isThis = objExpr.name === 'this' || objExpr.name === 'self';
      if (isThis && key !== null) this.#engine.storeClassField(this.#fn.className, key, value);
      state.set(objExpr.name, writeKey(state.get(objExpr.name) ?? EMPTY, key, value));
    } else if (objExpr.k === 'get') {
      const parent = this.expr(objExpr.obj, state);
      const inner = writeKey(readKey(parent, objExpr.key), key, value);
      this.writeInto(objExpr.obj, objExpr.key, inner, state);
    }
  }

  /** A function returning a check on its parameters is a validator its callers can branch on. */
  noteValidator(value: Expr): void {
    const proven = refine(value, this.callRefiner).whenTrue;
    const byParam = new Map<number, Refinement>();
    for (const r of proven) {
      const index = this.#fn.params.findIndex((p) => p.name === r.name);
      if (index >= 0 && r.effect !== 'const') byParam.set(index, r);
    }
    // every return must prove it; the first one sets, later ones can only keep what they share
    const known = this.#summary.validates;
    if (!known) this.#summary.validates = byParam;
    else for (const index of [...known.keys()]) if (!byParam.has(index)) known.delete(index);
  }

  /** Refinements from calling a same-file validator: what it proves about the arguments it was given. */
  readonly callRefiner = (call: IrCall): Refinement[] | undefined => {
    const callee = this.#engine.resolve(call, this.#fn, undefined);
    const validates = callee && callee !== this.#fn ? this.#engine.summary(callee)?.validates : undefined;
    if (!validates?.size) return undefined;
    const out: Refinement[] = [];
    for (const [index, r] of validates) {
      const arg = call.args[index];
      if (arg?.k === 'var') out.push({ ...r, name: arg.name });
    }
    if (out.length) this.#engine.markLinked();
    return out;
  };

  /** Returned values that are sinks: a Flask view's string return value is the HTML response. */
  returnSinks(value: Val, at: SgNode): void {
    const decorators = this.#fn.decorators;
    if (!decorators?.length || (value.fields && !value.taints)) return;
    for (const row of this.#engine.models.returnSinks) {
      if (row.decorator && !decorators.some((d) => row.decorator!.test(this.resolveName(d)))) continue;
      this.report(row, deepTaints(value), at);
    }
  }

  /** Property writes that are sinks: `el.innerHTML = x`, Flask `session['k'] = x`. */
  fieldWriteSinks(target: Extract<LValue, { k: 'field' }>, value: Val, state: State, at: SgNode): void {
    const rows = [...(this.#engine.models.byName.get(target.key ?? '*')?.sinks ?? []), ...(this.#engine.models.byName.get('*')?.sinks ?? [])];
    for (const row of rows) {
      if (row.member === undefined) continue;
      if (row.member !== '*' && !row.member.split('|').includes(target.key ?? '')) continue;
      if (row.object && !this.matchesObject(row.object, target.obj, state)) continue;
      this.report(row, deepTaints(value), at);
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(e: Expr, state: State): Val {
    switch (e.k) {
      case 'lit':
        return constant(e.value);
      case 'var': {
        const known = state.get(e.name) ?? (this.#fn.name === '<module>' ? undefined : this.#engine.global(e.name));
        if (known) return known;
        const type = this.#fn.types[e.name];
        if (type) return NUMERIC_TYPES.test(type) ? { ...SAFE, type } : { type };
        return EMPTY;
      }
      case 'get':
        return this.read(e, state);
      case 'call':
        return this.call(e, state);
      case 'concat': {
        const parts = e.parts.map((p) => this.expr(p, state));
        if (parts.every((p) => p.known)) return constant(parts.map((p) => String(p.value ?? '')).join(''));
        return fixedPrefix(parts[0], withStep(tainted(parts.flatMap((p) => deepTaints(p, 1))), e.at, 'built into a string'));
      }
      case 'bin':
        return this.binary(e, state);
      case 'unary': {
        const arg = this.expr(e.arg, state);
        if (e.op === '!' || e.op === 'not') return arg.known ? constant(!arg.value) : SAFE;
        if (e.op === '-' && arg.known && typeof arg.value === 'number') return constant(-arg.value);
        if (e.op === '-' || e.op === '+' || e.op === '~' || e.op === 'typeof') return SAFE;
        if (e.op === '*' || e.op === '&' || e.op === '<-') return arg; // Go deref/address/receive
        return arg;
      }
      case 'cond': {
        const test = this.expr(e.test, state);
        const known = truthy(test);
        if (known === true) return this.expr(e.then, state);
        if (known === false) return this.expr(e.else, state);
        const { whenTrue, whenFalse } = refine(e.test, this.callRefiner);
        const thenState = whenTrue.length ? this.applyRefinements(new Map(state), whenTrue) : state;
        const elseState = whenFalse.length ? this.applyRefinements(new Map(state), whenFalse) : state;
        return join(this.expr(e.then, thenState), this.expr(e.else, elseState));
      }
      case 'object': {
        let val: Val = { fields: new Map() };
        for (const entry of e.entries) {
          const value = this.expr(entry.value, state);
          // a Mongo `$where` runs its string as JavaScript on the server, wherever the filter goes
          if (entry.key === '$where') this.report(WHERE_SINK, deepTaints(value), entry.value.k === 'lit' ? e.at : (exprNode(entry.value) ?? e.at));
          val = entry.key === null && (value.fields || value.rest) ? { ...val, fields: new Map([...(val.fields ?? []), ...(value.fields ?? [])]), ...(value.rest ? { rest: join(val.rest, value.rest) } : {}) } : writeKey(val, entry.key, value);
        }
        return val;
      }
      case 'array': {
        const fields = new Map<string, Val>();
        e.items.forEach((item, i) => fields.set(String(i), this.expr(item, state)));
        return { fields, len: e.items.length };
      }
      case 'fn':
        return { fn: e.fn };
      case 'cast': {
        const arg = this.expr(e.arg, state);
        if (NUMERIC_TYPES.test(e.type)) return SAFE;
        if (this.#engine.isClass(e.type)) return { ...arg, type: e.type }; // Go struct literal
        const castSinks = this.#engine.models.byName.get(e.type.replace(/^.*\./, ''))?.sinks ?? [];
        for (const row of castSinks) if (!row.qname || row.qname.test(this.resolveName(e.type))) this.report(row, deepTaints(arg), e.at);
        return arg;
      }
      case 'opaque':
        return tainted(e.parts.flatMap((p) => deepTaints(this.expr(p, state), 1)));
    }
  }

  binary(e: Extract<Expr, { k: 'bin' }>, state: State): Val {
    const left = this.expr(e.left, state);
    const right = this.expr(e.right, state);
    const op = e.op;
    if (op === '&&' || op === 'and') return left.known ? (left.value ? right : left) : join(left, right);
    if (op === '||' || op === 'or' || op === '??') return left.known ? (left.value && op !== '??' ? left : op === '??' && left.value !== null ? left : right) : join(left, right);
    if (left.known && right.known) {
      const folded = fold(op, left.value, right.value);
      if (folded !== undefined) return constant(folded);
    }
    if (['==', '===', '!=', '!==', '<', '>', '<=', '>=', 'in', 'not in', 'is', 'is not', 'instanceof'].includes(op)) return SAFE;
    if (op === '+' || op === '%' || op === '.') {
      if (left.safe && right.safe) return SAFE;
      const built = withStep(tainted([...deepTaints(left, 1), ...deepTaints(right, 1)]), e.at, 'built into a string');
      return op === '+' ? fixedPrefix(left, built) : built;
    }
    // Python's pathlib joins paths with `/`: a tainted operand keeps the result tainted
    if (op === '/' && !(left.safe && right.safe)) return withStep(tainted([...deepTaints(left, 1), ...deepTaints(right, 1)]), e.at, 'joined into a path');
    return SAFE; // -, *, bit operators: numbers
  }

  read(e: Extract<Expr, { k: 'get' }>, state: State): Val {
    const key = e.key;
    if (key !== null && SIZE_MEMBERS.has(key)) return SAFE;
    // a model source (req.query, request.args, ctx.request.body)?
    if (key !== null) {
      for (const row of this.#engine.models.byName.get(key)?.sources ?? []) {
        if (row.member === undefined) continue;
        if (row.object && !this.matchesObject(row.object, e.obj, state)) continue;
        return { taints: [{ origin: 'src', step: step(undefined, e.at, `${row.label}: \`${dottedPath(e) ?? key}\``, 'source') }] };
      }
    }
    if (e.obj.k === 'var' && this.#engine.isEnum(e.obj.name)) return SAFE;
    if (e.obj.k === 'var' && (e.obj.name === 'this' || e.obj.name === 'self') && key !== null) {
      const local = state.get(e.obj.name)?.fields?.get(key);
      if (local) return local;
      // unknown here: whatever the instance holds, resolved per call site (`f:key`), plus what any method stored
      const symbolic: Val = { taints: [{ origin: `f:${key}`, step: step(undefined, e.at, `field \`${key}\``) }] };
      return join(this.#engine.classField(this.#fn.className, key), symbolic);
    }
    const obj = this.expr(e.obj, state);
    // "ABC"[1] is 'B' (a switch on it folds)
    if (obj.known && typeof obj.value === 'string' && key !== null && /^\d+$/.test(key)) return Number(key) < obj.value.length ? constant(obj.value.charAt(Number(key))) : EMPTY;
    if (key === null && e.keyExpr) {
      const keyVal = this.expr(e.keyExpr, state);
      if (keyVal.known && keyVal.value !== null) return readKey(obj, String(keyVal.value));
    }
    return readKey(obj, key);
  }

  matchesObject(pattern: RegExp, objExpr: Expr, state: State): boolean {
    const path = dottedPath(objExpr);
    if (path !== undefined && pattern.test(this.resolveName(path))) return true;
    const type = objExpr.k === 'var' ? (state.get(objExpr.name)?.type ?? this.#fn.types[objExpr.name]) : undefined;
    return !!type && pattern.test(type);
  }

  receiverMatches(pattern: RegExp, call: IrCall, receiver: Val | undefined, state: State): boolean {
    if (!call.receiver) return false;
    if (this.matchesObject(pattern, call.receiver, state)) return true;
    return !!receiver?.type && pattern.test(receiver.type);
  }

  /**
   * `strictModules`: a `qname` naming a module does not match a call on a file variable of that
   * name (sources and sinks; a sanitizer or propagator found by name stays lenient, since missing
   * one would report a flow that is not there).
   */
  rowMatches(row: { qname?: RegExp; receiver?: RegExp; receiverNot?: RegExp; isNew?: boolean; method?: string }, call: IrCall, receiver: Val | undefined, state: State, strictModules = false): boolean {
    if (row.method === undefined) return false;
    if (row.isNew !== undefined && row.isNew !== !!call.isNew) return false;
    if (row.qname) {
      const qname = call.path !== undefined && !(strictModules && this.isDeclaredLocal(call.path)) ? this.resolveName(call.path) : undefined;
      if (qname === undefined || !row.qname.test(qname)) {
        // a receiver whose declared type names the class (`Runtime r; r.exec`) also counts
        const type = receiver?.type;
        if (!type || !row.qname.test(`${type}.${call.name}`)) return false;
      }
    }
    if (row.receiver && !this.receiverMatches(row.receiver, call, receiver, state)) return false;
    if (row.receiverNot && call.receiver && this.receiverMatches(row.receiverNot, call, receiver, state)) return false;
    return true;
  }

  call(call: IrCall, state: State): Val {
    const receiver = call.receiver ? this.expr(call.receiver, state) : undefined;
    const args = call.args.map((a) => this.expr(a, state));
    const named: Record<string, Val> = {};
    for (const [name, value] of Object.entries(call.named ?? {})) named[name] = this.expr(value, state);
    const folded = foldStringCall(call.name, receiver, args);
    if (folded) return folded;
    // an alias (`const run = promisify(exec)`, `import { exec as run }`) is looked up by what it stands for
    const resolved = !call.receiver && call.path !== undefined ? this.resolveName(call.path) : undefined;
    const lookupName = resolved ? resolved.slice(resolved.lastIndexOf('.') + 1) : call.name;
    const rows = this.#engine.models.byName.get(lookupName) ?? this.#engine.models.byName.get(call.name);

    // `new File(input).getName()`: the inner call only builds a value the sanitizer reduces at once
    if (call.receiver?.k === 'call' && rows?.sanitizers.length) {
      for (const row of rows.sanitizers) {
        if (row.clears !== 'all' && this.rowMatches(row, call, receiver, state)) this.#engine.unhit(call.receiver.at, row.clears);
      }
    }
    const stripped = strippedKinds(call, args);
    if (stripped.length && receiver) {
      const inputs = [...deepTaints(receiver), ...args.flatMap((a) => deepTaints(a))];
      return tainted(clear(withStepDeep(inputs, call.at, `\`${call.name}()\` strips what the sink needs`), stripped));
    }

    let sinkMatched = false;
    for (const row of rows?.sinks ?? []) {
      if (row.member !== undefined || !this.rowMatches(row, call, receiver, state, true)) continue;
      if (!this.whenHolds(row, call, args, named)) continue;
      sinkMatched = true;
      const indexes = row.args === 'all' ? args.map((_, i) => i) : row.args;
      // an object sent as a response is serialized as JSON, not HTML
      const counted = (val: Val | undefined): val is Val => !!val && !(row.kind === 'xss' && val.fields && !val.taints && val.len === undefined);
      const taintsOf = (val: Val): Taint[] => (row.shallow ? (val.taints ?? []) : deepTaints(val));
      const taints = indexes.flatMap((i) => (counted(args[i]) ? taintsOf(args[i]) : []));
      if (row.receiverSink && receiver) taints.push(...taintsOf(receiver));
      for (const name of row.namedArgs ?? []) if (named[name]) taints.push(...deepTaints(named[name]));
      this.report(row, taints, call.at);
    }

    // what a sink returns (a result set, a response, a process) is not the input any more
    if (sinkMatched) return call.isNew ? { type: call.name } : EMPTY;

    for (const row of rows?.sources ?? []) {
      if (row.member !== undefined || !this.rowMatches(row, call, receiver, state, true)) continue;
      if (row.intoArg) {
        let target = call.args[0];
        while (target?.k === 'unary') target = target.arg;
        if (target?.k === 'var') state.set(target.name, { taints: [{ origin: 'src', step: step(undefined, call.at, `${row.label}: \`${call.path ?? call.name}()\``, 'source') }] });
        return EMPTY;
      }
      return { taints: [{ origin: 'src', step: step(undefined, call.at, `${row.label}: \`${call.path ?? call.name}()\``, 'source') }] };
    }

    const inputs = [...(receiver ? deepTaints(receiver) : []), ...args.flatMap((a) => deepTaints(a)), ...Object.values(named).flatMap((a) => deepTaints(a))];
    for (const row of rows?.sanitizers ?? []) {
      if (!this.rowMatches(row, call, receiver, state)) continue;
      if (row.clears === 'all') return SAFE;
      return tainted(clear(withStepDeep(inputs, call.at, `sanitized by \`${call.name}()\``), row.clears));
    }

    // a function of this file: apply its summary
    const callee = this.#engine.resolve(call, this.#fn, receiver) ?? (call.receiver ? undefined : state.get(call.name)?.fn);
    if (callee && callee !== this.#fn) return this.applySummary(callee, call, args, named, receiver);

    if (call.isNew || this.#engine.isClass(call.name)) {
      const type = call.name;
      const ctor = this.#engine.isClass(type) ? this.#engine.constructorOf(type) : undefined;
      if (ctor) return { ...this.construct(ctor, call, args, named), type };
      const base: Val = { ...tainted(args.flatMap((a) => deepTaints(a))), type };
      return LIST_TYPES.test(type) ? { ...base, len: 0 } : base;
    }

    for (const row of rows?.propagators ?? []) {
      if (!this.rowMatches(row, call, receiver, state)) continue;
      const from = row.from === 'args' ? args.flatMap((a) => deepTaints(a)) : row.from === 'receiver' ? (receiver ? deepTaints(receiver) : []) : inputs;
      if (row.type) return { ...withStep(tainted(from), call.at, `through \`${call.name}()\``), type: row.type };
      if (row.to === 'none') return EMPTY;
      if (row.to === 'receiver' && call.receiver) {
        this.updateReceiver(call.receiver, (old) => ({ ...old, taints: [...(old.taints ?? []), ...withStepDeep(from, call.at, `passed to \`${call.name}()\``)] }), state);
        return EMPTY;
      }
      return withStep(tainted(from), call.at, `through \`${call.name}()\``);
    }

    // containers: constant keys keep apart what was stored under them
    if (receiver && call.receiver) {
      const keyArg = args[0];
      if (KEYED_READERS.has(call.name) && args.length >= 1) {
        const key = keyArg?.known && keyArg.value !== null ? String(keyArg.value) : null;
        return readKey(receiver, key);
      }
      if (KEYED_WRITERS.has(call.name) && args.length === 2) {
        const key = keyArg?.known && keyArg.value !== null ? String(keyArg.value) : null;
        const value = withStep(args[1] ?? EMPTY, call.at, `stored under ${key === null ? 'a key' : `\`${key}\``}`);
        this.updateReceiver(call.receiver, (old) => writeKey(old, key, value), state);
        return EMPTY;
      }
      if (call.name === 'remove' && args.length === 1 && receiver.len !== undefined && keyArg?.known && typeof keyArg.value === 'number') {
        const index = keyArg.value;
        this.updateReceiver(call.receiver, (old) => removeIndex(old, index), state);
        return readKey(receiver, String(index));
      }
      if (ADDERS.has(call.name) && args.length >= 1) {
        const added = withStep(tainted(args.flatMap((a) => deepTaints(a))), call.at, `added by \`${call.name}()\``);
        const update = (old: Val): Val => {
          const len = old.len;
          if (len !== undefined && args.length === 1 && (call.name === 'add' || call.name === 'push' || call.name === 'append')) {
            return { ...writeKey(old, String(len), args[0] ?? EMPTY), len: len + 1 };
          }
          return added.taints ? { ...old, rest: join(old.rest, added), len: undefined } : old;
        };
        const updated = this.updateReceiver(call.receiver, update, state) ?? update(receiver);
        return updated; // builders return themselves: sb.append(a).append(b)
      }
    }
    // Go's append(list, elems...) adds at the end like list.add
    if (call.name === 'append' && !call.receiver && args.length >= 1) {
      let list = args[0] ?? EMPTY;
      for (const item of args.slice(1)) list = list.len !== undefined ? { ...writeKey(list, String(list.len), item), len: list.len + 1 } : { ...list, rest: join(list.rest, item) };
      return withStep(list, call.at, 'appended');
    }
    // anything else: the result depends on the receiver and the arguments
    return withStep(tainted(inputs), call.at, `through \`${call.name}()\``);
  }

  /** Updates the variable (or this.field) at the root of a receiver chain of builder calls. */
  updateReceiver(recv: Expr, update: (old: Val) => Val, state: State): Val | undefined {
    if (recv.k === 'var') {
      const updated = update(state.get(recv.name) ?? this.expr(recv, state));
      state.set(recv.name, updated);
      return updated;
    }
    if (recv.k === 'get') {
      const updated = update(this.expr(recv, state));
      this.writeInto(recv.obj, recv.key, updated, state);
      return updated;
    }
    if (recv.k === 'call' && recv.receiver && ADDERS.has(recv.name)) {
      return this.updateReceiver(recv.receiver, update, state);
    }
    return undefined;
  }

  whenHolds(row: SinkRow, call: IrCall, args: Val[], named: Record<string, Val>): boolean {
    if (row.unless) {
      for (const [name, pattern] of Object.entries(row.unless.named ?? {})) {
        const expr = call.named?.[name];
        const path = expr ? dottedPath(expr) : undefined;
        if (path && pattern.test(path)) return false;
      }
      const second = call.args[1] ? dottedPath(call.args[1]) : undefined;
      if (row.unless.arg1 && second && row.unless.arg1.test(second)) return false;
    }
    const when = row.when;
    if (!when) return true;
    for (const [name, expected] of Object.entries(when.named ?? {})) {
      const value = named[name];
      if (!value?.known || value.value !== expected) return false;
    }
    for (const [name, expected] of Object.entries(when.notNamed ?? {})) {
      const value = named[name];
      if (value?.known && value.value === expected) return false;
    }
    if (when.shellList) {
      // ['sh', '-c', command]: only a shell with -c turns a list element into a command line
      const list = args[0]?.fields;
      const shell = list?.get('0');
      const flag = list?.get('1');
      if (!shell?.known || !/^(\/usr)?(\/bin\/)?(ba|z|da|k)?sh$|^cmd(\.exe)?$|^powershell/.test(String(shell.value)) || !flag?.known || !/^(-c|\/c)$/i.test(String(flag.value))) return false;
    }
    if (when.option) {
      const option = when.option;
      if (!args.some((a) => { const v = a.fields?.get(option); return !!v && (!v.known || !!v.value); })) return false;
    }
    for (const [index, pattern] of Object.entries(when.argConst ?? {})) {
      if (!pattern) continue;
      const value = args[Number(index)];
      if (!value?.known || !pattern.test(String(value.value))) return false;
    }
    return true;
  }

  report(row: SinkRow, taints: Taint[], at: SgNode): void {
    for (const taint of taints) {
      if (taint.cleared?.has(row.kind)) continue;
      const path = step(taint.step, at, `reaches ${row.label}`, 'sink');
      if (taint.origin === 'src') this.#engine.hit({ kind: row.kind, label: row.label, sink: at, path });
      else this.#summary.sinks.push({ origin: taint.origin, kind: row.kind, label: row.label, sink: at, path });
    }
  }

  /** A new instance of a class of this file: its fields are what the constructor stored, with the call's arguments. */
  construct(ctor: IrFunction, call: IrCall, args: Val[], named: Record<string, Val>): Val {
    this.applySummary(ctor, call, args, named, undefined);
    const fields = this.#engine.summary(ctor)?.thisFields;
    if (!fields) return tainted(args.flatMap((a) => deepTaints(a)));
    const out = new Map<string, Val>();
    for (const [key, val] of fields) out.set(key, this.substitute(ctor, val, call, args, named, undefined));
    return { fields: out };
  }

  /** A callee's value with its parameter (`pN`) and field (`f:key`) taints replaced by the caller's. */
  substitute(callee: IrFunction, val: Val, call: IrCall, args: Val[], named: Record<string, Val>, receiver: Val | undefined): Val {
    if (!val.taints?.length) return val;
    const out: Taint[] = [];
    for (const taint of val.taints) {
      if (taint.origin === 'src') out.push(taint);
      else {
        const from = this.originValue(callee, taint.origin, call, args, named, receiver);
        if (!from) continue;
        const through = withStepDeep(deepTaints(from), call.at, `passed to \`${callee.name}()\``);
        out.push(...(taint.cleared?.size ? clear(through, [...taint.cleared]) : through));
      }
    }
    return { ...val, taints: out.length ? out : undefined };
  }

  /** What a callee's symbolic origin stands for at this call: an argument, or a field of the receiver. */
  originValue(callee: IrFunction, origin: string, call: IrCall, args: Val[], named: Record<string, Val>, receiver: Val | undefined): Val | undefined {
    if (origin.startsWith('f:')) {
      const key = origin.slice(2);
      const recv = call.receiver;
      // a call on this/self stays symbolic in the caller; on another object, read its field
      if (recv?.k === 'var' && (recv.name === 'this' || recv.name === 'self')) return { taints: [{ origin, step: step(undefined, call.at, `field \`${key}\``) }] };
      return receiver ? readKey(receiver, key) : undefined;
    }
    const index = Number(origin.slice(1));
    const param = callee.params[index];
    if (param?.rest) return args.slice(index).reduce<Val | undefined>((acc, a) => join(acc, a), undefined);
    return (param && named[param.name]) || args[index];
  }

  applySummary(callee: IrFunction, call: IrCall, args: Val[], named: Record<string, Val>, receiver: Val | undefined): Val {
    this.#engine.markLinked();
    const summary = this.#engine.summary(callee);
    const argFor = (origin: string): Val | undefined => {
      if (origin.startsWith('f:')) return this.originValue(callee, origin, call, args, named, receiver);
      const index = Number(origin.slice(1));
      const param = callee.params[index];
      if (param?.rest) return args.slice(index).reduce<Val | undefined>((acc, a) => join(acc, a), undefined);
      return (param && named[param.name]) || args[index];
    };
    if (!summary) return tainted(args.flatMap((a) => deepTaints(a))); // not analysed yet (first round)
    for (const sink of summary.sinks) {
      const arg = argFor(sink.origin);
      if (!arg) continue;
      for (const taint of deepTaints(arg)) {
        if (taint.cleared?.has(sink.kind)) continue;
        const path = splice(step(taint.step, call.at, `passed to \`${callee.name}()\``), sink.path);
        if (taint.origin === 'src') this.#engine.hit({ kind: sink.kind, label: sink.label, sink: sink.sink, path });
        else this.#summary.sinks.push({ origin: taint.origin, kind: sink.kind, label: sink.label, sink: sink.sink, path });
      }
    }
    const ret = summary.ret;
    if (!ret) return EMPTY;
    const out: Taint[] = [];
    for (const taint of ret.taints ?? []) {
      if (taint.origin === 'src') {
        out.push(taint);
        continue;
      }
      const arg = argFor(taint.origin);
      if (!arg) continue;
      const cleared = taint.cleared ? [...taint.cleared] : [];
      const through = withStepDeep(deepTaints(arg), call.at, `passed to \`${callee.name}()\` and returned`);
      out.push(...(cleared.length ? clear(through, cleared) : through));
    }
    const result: Val = { ...ret, taints: undefined };
    return out.length ? { ...result, taints: out } : result;
  }
}
