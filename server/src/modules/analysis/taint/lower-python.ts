import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrFunction, IrModule, LValue, Stmt } from './ir.ts';
import { dottedPath } from './lower-javascript.ts';
import { newFunction, opaque, Tree, unquote } from './lower-common.ts';

/**
 * Lowers a Python tree (tree-sitter) to the taint IR (contract in ir.ts). `self` becomes `this`
 * and is dropped from method parameters, so summaries line up with call arguments; decorators
 * are kept (Flask/FastAPI routes make parameters sources).
 */

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '//', '**', '&', '|', '^', '<<', '>>', '@']);
const COMPARE_OPS = new Set(['<', '>', '==', '!=', '<=', '>=', 'in', 'not in', 'is', 'is not', '<>']);

export function lowerPython(root: SgNode): IrModule {
  return new PyLowering().module(root);
}

class PyLowering {
  readonly t = new Tree();
  readonly functions: IrFunction[] = [];
  readonly module_: IrModule = { functions: this.functions, classes: [], imports: {} };
  #className: string | undefined;

  module(root: SgNode): IrModule {
    const top = newFunction('<module>', root);
    top.body = this.block(root);
    this.functions.unshift(top);
    return this.module_;
  }

  block(node: SgNode): Stmt[] {
    const out: Stmt[] = [];
    for (const child of this.t.kids(node)) out.push(...this.stmt(child.node, child.kind));
    return out;
  }

  stmt(node: SgNode, kind: string): Stmt[] {
    switch (kind) {
      case 'expression_statement':
        return this.t.kids(node).flatMap((c) => this.exprStmt(c.node, c.kind));
      case 'return_statement': {
        const [value] = this.t.kids(node);
        return [{ k: 'return', at: node, ...(value ? { value: this.expr(value.node, value.kind) } : {}) }];
      }
      case 'raise_statement':
      case 'break_statement':
      case 'continue_statement':
        return [...this.t.kids(node).flatMap((c) => this.exprStmt(c.node, c.kind)), { k: 'exit' }];
      case 'if_statement': {
        const kids = this.t.kids(node);
        const [cond, consequence] = kids;
        if (!cond || !consequence) return [];
        // elif/else chain, innermost first
        let otherwise: Stmt[] = [];
        const clauses = kids.slice(2);
        for (let i = clauses.length - 1; i >= 0; i--) {
          const clause = clauses[i]!;
          const parts = this.t.kids(clause.node);
          if (clause.kind === 'else_clause') otherwise = parts.flatMap((p) => this.blockOf(p.node, p.kind));
          else if (clause.kind === 'elif_clause' && parts[0] && parts[1]) {
            otherwise = [{ k: 'if', test: this.expr(parts[0].node, parts[0].kind), then: this.blockOf(parts[1].node, parts[1].kind), else: otherwise }];
          }
        }
        return [{ k: 'if', test: this.expr(cond.node, cond.kind), then: this.blockOf(consequence.node, consequence.kind), else: otherwise }];
      }
      case 'for_statement': {
        const kids = this.t.kids(node);
        const [left, right, body] = kids;
        if (!left || !right || !body) return [];
        const bind = this.bind(left.node, left.kind, { k: 'get', obj: this.expr(right.node, right.kind), key: null, at: right.node }, node);
        return [{ k: 'loop', body: [...bind, ...this.blockOf(body.node, body.kind)] }];
      }
      case 'while_statement': {
        const [cond, body] = this.t.kids(node);
        const head = cond ? this.exprStmt(cond.node, cond.kind) : [];
        return [...head, { k: 'loop', body: body ? this.blockOf(body.node, body.kind) : [] }];
      }
      case 'try_statement': {
        const kids = this.t.kids(node);
        const body = kids[0] ? this.blockOf(kids[0].node, kids[0].kind) : [];
        const handlers = kids.filter((c) => c.kind === 'except_clause' || c.kind === 'except_group_clause').map((c) => this.t.kids(c.node).filter((k) => k.kind === 'block').flatMap((k) => this.block(k.node)));
        const elseBody = kids.filter((c) => c.kind === 'else_clause').flatMap((c) => this.t.kids(c.node).flatMap((k) => this.blockOf(k.node, k.kind)));
        const finallyBody = kids.filter((c) => c.kind === 'finally_clause').flatMap((c) => this.t.kids(c.node).flatMap((k) => this.blockOf(k.node, k.kind)));
        return [...body, ...elseBody, { k: 'choice', arms: [[], ...handlers] }, ...finallyBody];
      }
      case 'with_statement': {
        const out: Stmt[] = [];
        for (const child of this.t.kids(node)) {
          if (child.kind === 'with_clause') {
            for (const item of this.t.kids(child.node)) {
              const [value] = this.t.kids(item.node);
              if (value?.kind === 'as_pattern') {
                const [expr, target] = this.t.kids(value.node);
                const targetName = target ? this.t.kids(target.node)[0] ?? target : undefined;
                if (expr && targetName) out.push(...this.bind(targetName.node, targetName.kind, this.expr(expr.node, expr.kind), value.node));
              } else if (value) out.push(...this.exprStmt(value.node, value.kind));
            }
          } else if (child.kind === 'block') out.push(...this.block(child.node));
        }
        return out;
      }
      case 'function_definition':
        this.fn(node, []);
        return [];
      case 'decorated_definition': {
        const kids = this.t.kids(node);
        const decorators = kids.filter((c) => c.kind === 'decorator');
        const definition = kids[kids.length - 1];
        if (definition?.kind === 'function_definition') this.fn(definition.node, decorators.map((d) => d.node));
        else if (definition?.kind === 'class_definition') this.cls(definition.node);
        return [];
      }
      case 'class_definition':
        this.cls(node);
        return [];
      case 'import_statement':
      case 'import_from_statement':
        this.importStatement(node, kind);
        return [];
      case 'block':
        return this.block(node);
      case 'match_statement': {
        const kids = this.t.kids(node);
        const body = kids.find((c) => c.kind === 'block');
        const arms = body ? this.t.kids(body.node).map((arm) => this.t.kids(arm.node).filter((c) => c.kind === 'block').flatMap((c) => this.block(c.node))) : [];
        return [{ k: 'choice', arms: [...arms, []] }];
      }
      case 'comment':
      case 'pass_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'future_import_statement':
        return [];
      default:
        return this.exprStmt(node, kind);
    }
  }

  blockOf(node: SgNode, kind: string): Stmt[] {
    return kind === 'block' ? this.block(node) : this.stmt(node, kind);
  }

  exprStmt(node: SgNode, kind: string): Stmt[] {
    if (kind === 'assignment') return this.assignment(node);
    if (kind === 'augmented_assignment') {
      const all = this.t.all(node);
      const left = all[0];
      const right = all[all.length - 1];
      if (!left || !right || left === right) return [];
      const op = all[1]?.kind.slice(0, -1) ?? '+';
      const value: Expr = { k: 'bin', op, left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      return this.bind(left.node, left.kind, value, node);
    }
    if (kind === 'comment') return [];
    return [{ k: 'expr', e: this.expr(node, kind) }];
  }

  assignment(node: SgNode): Stmt[] {
    const kids = this.t.kids(node);
    const left = kids[0];
    const right = kids[kids.length - 1];
    const type = kids.length === 3 && kids[1]?.kind === 'type' ? this.t.kids(kids[1].node)[0] : undefined;
    if (!left || !right || left === right) return [];
    if (right.kind === 'assignment') {
      // a = b = value
      const inner = this.assignment(right.node);
      const last = inner[inner.length - 1];
      const value = last?.k === 'assign' && last.target.k === 'var' ? ({ k: 'var', name: last.target.name, at: right.node } as Expr) : opaque([]);
      return [...inner, ...this.bind(left.node, left.kind, value, node)];
    }
    const value = this.expr(right.node, right.kind);
    const stmts = this.bind(left.node, left.kind, value, node);
    if (type && stmts.length === 1 && stmts[0]!.k === 'assign') (stmts[0] as { type?: string }).type = this.text(type.node);
    return stmts;
  }

  /** `x = value`, `a, b = value`, `obj.f = value`, `d['k'] = value`. */
  bind(node: SgNode, kind: string, value: Expr, at: SgNode): Stmt[] {
    const target = this.lvalue(node, kind);
    if (target) return [{ k: 'assign', target, value, at }];
    if (kind === 'pattern_list' || kind === 'tuple_pattern' || kind === 'list_pattern' || kind === 'tuple' || kind === 'list') {
      return this.t.kids(node).flatMap((c, i) => this.bind(c.node, c.kind, { k: 'get', obj: value, key: String(i), at: c.node }, at));
    }
    if (kind === 'list_splat_pattern') {
      const [inner] = this.t.kids(node);
      return inner ? this.bind(inner.node, inner.kind, value, at) : [];
    }
    return [];
  }

  lvalue(node: SgNode, kind: string): LValue | undefined {
    if (kind === 'identifier') return { k: 'var', name: this.name(this.text(node)) };
    if (kind === 'attribute' || kind === 'subscript') {
      const read = this.expr(node, kind);
      if (read.k === 'get') return { k: 'field', obj: read.obj, key: read.key };
    }
    return undefined;
  }

  name(text: string): string {
    return text === 'self' && this.#className ? 'this' : text;
  }

  text(node: SgNode): string {
    return node.text();
  }

  // ---- definitions --------------------------------------------------------------------------

  fn(node: SgNode, decorators: SgNode[]): IrFunction {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier');
    const fn = newFunction(nameNode ? this.text(nameNode.node) : '<lambda>', node, this.#className);
    if (decorators.length) {
      fn.decorators = [];
      fn.decoratorTexts = [];
      for (const decorator of decorators) {
        const [expr] = this.t.kids(decorator);
        if (!expr) continue;
        const lowered = this.expr(expr.node, expr.kind);
        const path = lowered.k === 'call' ? lowered.path : dottedPath(lowered);
        if (path) fn.decorators.push(path);
        fn.decoratorTexts.push(this.text(decorator));
      }
    }
    const params = kids.find((c) => c.kind === 'parameters' || c.kind === 'lambda_parameters');
    const isMethod = !!this.#className && !fn.decorators?.includes('staticmethod');
    let first = true;
    for (const param of params ? this.t.kids(params.node) : []) {
      const parts = this.t.kids(param.node);
      let name: string | undefined;
      let type: string | undefined;
      let rest = false;
      if (param.kind === 'identifier') name = this.text(param.node);
      else if (param.kind === 'typed_parameter' || param.kind === 'typed_default_parameter' || param.kind === 'default_parameter') {
        const id = parts.find((p) => p.kind === 'identifier');
        const typeNode = parts.find((p) => p.kind === 'type');
        name = id ? this.text(id.node) : undefined;
        if (typeNode) type = this.text(typeNode.node);
        if (param.kind !== 'typed_parameter') {
          const defaultValue = parts[parts.length - 1];
          if (defaultValue && defaultValue.kind === 'call') type = type ?? `=${this.text(defaultValue.node)}`;
        }
      } else if (param.kind === 'list_splat_pattern' || param.kind === 'dictionary_splat_pattern') {
        name = parts[0] ? this.text(parts[0].node) : undefined;
        rest = param.kind === 'list_splat_pattern';
      }
      if (!name) continue;
      if (first && isMethod && (name === 'self' || name === 'cls')) {
        first = false;
        continue;
      }
      first = false;
      fn.params.push({ name, at: param.node, ...(type ? { type } : {}), ...(rest ? { rest } : {}) });
      if (type) fn.types[name] = type;
    }
    const body = kids[kids.length - 1];
    const outer = this.#className;
    if (body?.kind === 'block') {
      // nested functions are not methods of the class
      this.#className = outer;
      fn.body = this.block(body.node);
    } else if (body && body !== params && body !== nameNode) {
      fn.body = [{ k: 'return', value: this.expr(body.node, body.kind), at: body.node }];
    }
    this.functions.push(fn);
    return fn;
  }

  cls(node: SgNode): void {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier');
    const name = nameNode ? this.text(nameNode.node) : '<class>';
    const supers = kids.find((c) => c.kind === 'argument_list');
    const isEnum = !!supers && /\b(Enum|IntEnum|StrEnum)\b/.test(this.text(supers.node));
    this.module_.classes.push({ name, fieldTypes: {}, ...(isEnum ? { isEnum } : {}) });
    const outer = this.#className;
    this.#className = name;
    const body = kids.find((c) => c.kind === 'block');
    const classLevel: Stmt[] = [];
    for (const member of body ? this.t.kids(body.node) : []) {
      if (member.kind === 'function_definition' || member.kind === 'decorated_definition' || member.kind === 'class_definition') this.stmt(member.node, member.kind);
      else {
        // class attributes: `x = value` is readable as self.x
        for (const stmt of this.stmt(member.node, member.kind)) {
          if (stmt.k === 'assign' && stmt.target.k === 'var') classLevel.push({ ...stmt, target: { k: 'field', obj: { k: 'var', name: 'this', at: member.node }, key: stmt.target.name } });
        }
      }
    }
    if (classLevel.length) {
      const init = newFunction('<fields>', node, name);
      init.body = classLevel;
      this.functions.push(init);
    }
    this.#className = outer;
  }

  importStatement(node: SgNode, kind: string): void {
    const kids = this.t.kids(node);
    if (kind === 'import_statement') {
      for (const item of kids) {
        if (item.kind === 'dotted_name') {
          const full = this.text(item.node);
          this.module_.imports[full.split('.')[0]!] = full.split('.')[0]!;
        } else if (item.kind === 'aliased_import') {
          const [dotted, alias] = this.t.kids(item.node);
          if (dotted && alias) this.module_.imports[this.text(alias.node)] = this.text(dotted.node);
        }
      }
      return;
    }
    const [moduleNode, ...names] = kids;
    if (!moduleNode) return;
    const from = this.text(moduleNode.node).replace(/^\.+/, '');
    for (const item of names) {
      if (item.kind === 'dotted_name') this.module_.imports[this.text(item.node)] = `${from}.${this.text(item.node)}`;
      else if (item.kind === 'aliased_import') {
        const [dotted, alias] = this.t.kids(item.node);
        if (dotted && alias) this.module_.imports[this.text(alias.node)] = `${from}.${this.text(dotted.node)}`;
      }
    }
  }

  // ---- expressions ----------------------------------------------------------------------------

  expr(node: SgNode, kind: string): Expr {
    switch (kind) {
      case 'identifier':
        return { k: 'var', name: this.name(this.text(node)), at: node };
      case 'string':
        return this.string(node);
      case 'concatenated_string':
        return { k: 'concat', parts: this.t.kids(node).map((c) => this.expr(c.node, c.kind)), at: node };
      case 'integer':
      case 'float':
        return { k: 'lit', value: Number(this.text(node).replace(/_/g, '')) || 0, at: node };
      case 'true':
      case 'false':
        return { k: 'lit', value: kind === 'true', at: node };
      case 'none':
        return { k: 'lit', value: null, at: node };
      case 'attribute': {
        const kids = this.t.kids(node);
        const obj = kids[0];
        const attr = kids[kids.length - 1];
        if (!obj || !attr || obj === attr) return opaque([], node);
        return { k: 'get', obj: this.expr(obj.node, obj.kind), key: this.text(attr.node), at: node };
      }
      case 'subscript': {
        const [value, index] = this.t.kids(node);
        if (!value || !index) return opaque([], node);
        const keyExpr = this.expr(index.node, index.kind);
        const key = keyExpr.k === 'lit' && keyExpr.value !== null ? String(keyExpr.value) : null;
        if (index.kind === 'slice') return { k: 'get', obj: this.expr(value.node, value.kind), key: null, at: node };
        return { k: 'get', obj: this.expr(value.node, value.kind), key, ...(key === null ? { keyExpr } : {}), at: node };
      }
      case 'call':
        return this.call(node);
      case 'binary_operator': {
        const [left, right] = this.t.kids(node);
        const op = this.t.token(node, BINARY_OPS) ?? '?';
        if (!left || !right) return opaque([], node);
        return { k: 'bin', op, left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      }
      case 'boolean_operator': {
        const [left, right] = this.t.kids(node);
        const op = this.t.token(node, new Set(['and', 'or'])) ?? 'and';
        if (!left || !right) return opaque([], node);
        return { k: 'bin', op, left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      }
      case 'comparison_operator': {
        const kids = this.t.kids(node);
        const op = this.t.token(node, COMPARE_OPS) ?? '==';
        if (kids.length !== 2) return { k: 'opaque', parts: [], at: node };
        return { k: 'bin', op, left: this.expr(kids[0]!.node, kids[0]!.kind), right: this.expr(kids[1]!.node, kids[1]!.kind), at: node };
      }
      case 'not_operator': {
        const [arg] = this.t.kids(node);
        return { k: 'unary', op: 'not', arg: arg ? this.expr(arg.node, arg.kind) : opaque([]), at: node };
      }
      case 'unary_operator': {
        const [arg] = this.t.kids(node);
        const op = this.t.token(node, new Set(['-', '+', '~'])) ?? '-';
        return { k: 'unary', op, arg: arg ? this.expr(arg.node, arg.kind) : opaque([]), at: node };
      }
      case 'conditional_expression': {
        const [then, test, otherwise] = this.t.kids(node);
        if (!then || !test || !otherwise) return opaque([], node);
        return { k: 'cond', test: this.expr(test.node, test.kind), then: this.expr(then.node, then.kind), else: this.expr(otherwise.node, otherwise.kind), at: node };
      }
      case 'dictionary': {
        const entries: Array<{ key: string | null; value: Expr }> = [];
        for (const entry of this.t.kids(node)) {
          if (entry.kind === 'pair') {
            const [key, value] = this.t.kids(entry.node);
            if (!key || !value) continue;
            const keyExpr = this.expr(key.node, key.kind);
            entries.push({ key: keyExpr.k === 'lit' && keyExpr.value !== null ? String(keyExpr.value) : null, value: this.expr(value.node, value.kind) });
          } else if (entry.kind === 'dictionary_splat') {
            const [inner] = this.t.kids(entry.node);
            if (inner) entries.push({ key: null, value: this.expr(inner.node, inner.kind) });
          }
        }
        return { k: 'object', entries, at: node };
      }
      case 'list':
      case 'tuple':
      case 'set':
        return { k: 'array', items: this.t.kids(node).map((c) => this.expr(c.node, c.kind)), at: node };
      case 'lambda':
        return { k: 'fn', fn: this.fn(node, []) };
      case 'parenthesized_expression':
      case 'await':
      case 'list_splat':
      case 'dictionary_splat':
      case 'expression_list': {
        const kids = this.t.kids(node);
        if (kind === 'expression_list' && kids.length > 1) return { k: 'array', items: kids.map((c) => this.expr(c.node, c.kind)), at: node };
        const [inner] = kids;
        return inner ? this.expr(inner.node, inner.kind) : opaque([], node);
      }
      case 'named_expression': {
        const kids = this.t.kids(node);
        const value = kids[kids.length - 1];
        return value ? this.expr(value.node, value.kind) : opaque([], node);
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        // the element expression reads the loop variable: treat the comprehension as its iterable's contents
        const parts = this.t.kids(node).flatMap((c) => (c.kind === 'for_in_clause' ? this.t.kids(c.node).slice(1) : [c]));
        return opaque(parts.map((c) => this.expr(c.node, c.kind)), node);
      }
      default:
        return opaque(this.t.kids(node).map((c) => this.expr(c.node, c.kind)), node);
    }
  }

  string(node: SgNode): Expr {
    const kids = this.t.kids(node);
    if (!kids.some((c) => c.kind === 'interpolation')) return { k: 'lit', value: unquote(this.text(node)), at: node };
    const parts: Expr[] = [];
    for (const child of kids) {
      if (child.kind === 'interpolation') {
        const [inner] = this.t.kids(child.node);
        if (inner) parts.push(this.expr(inner.node, inner.kind));
      } else if (child.kind === 'string_content') parts.push({ k: 'lit', value: this.text(child.node) });
    }
    return { k: 'concat', parts, at: node };
  }

  call(node: SgNode): Expr {
    const [callee, argsNode] = this.t.kids(node);
    if (!callee) return opaque([], node);
    const args: Expr[] = [];
    const named: Record<string, Expr> = {};
    for (const arg of argsNode ? (argsNode.kind === 'argument_list' ? this.t.kids(argsNode.node) : [argsNode]) : []) {
      if (arg.kind === 'keyword_argument') {
        const [name, value] = this.t.kids(arg.node);
        if (name && value) named[this.text(name.node)] = this.expr(value.node, value.kind);
      } else if (arg.kind !== 'comment') args.push(this.expr(arg.node, arg.kind));
    }
    const calleeExpr = this.expr(callee.node, callee.kind);
    const extra = Object.keys(named).length ? { named } : {};
    if (calleeExpr.k === 'var') return { k: 'call', name: calleeExpr.name, path: calleeExpr.name, args, at: node, ...extra };
    if (calleeExpr.k === 'get' && calleeExpr.key !== null) {
      const path = dottedPath(calleeExpr);
      return { k: 'call', name: calleeExpr.key, receiver: calleeExpr.obj, ...(path !== undefined ? { path } : {}), args, at: node, ...extra };
    }
    return { k: 'call', name: '<dynamic>', receiver: calleeExpr, args, at: node, ...extra };
  }
}
