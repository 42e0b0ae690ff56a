import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrFunction, IrModule, LValue, Stmt } from './ir.ts';
import { dottedPath } from './lower-javascript.ts';
import { newFunction, opaque, Tree, unquote } from './lower-common.ts';

/**
 * Lowers a Go tree (tree-sitter) to the taint IR (contract in ir.ts). Go specifics:
 * - imports map the package name (or alias) to its path (`exec` -> `os/exec`), models match on it;
 * - declared types keep their package and drop `*` (`*http.Request` is `http.Request`);
 * - `a, b := f()` gives every name the call's value (the error is never a string to inject);
 * - a method's receiver becomes `this`, so struct fields work like class fields;
 * - `[]byte(x)`, `string(x)`, `template.HTML(x)` are casts.
 */

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '&', '|', '^', '<<', '>>', '&^']);
const UNARY_OPS = new Set(['!', '-', '+', '^', '*', '&', '<-']);
const TYPE_KINDS = new Set(['slice_type', 'array_type', 'map_type', 'pointer_type', 'qualified_type', 'type_identifier', 'generic_type', 'channel_type', 'function_type', 'interface_type', 'struct_type']);

export function lowerGo(root: SgNode): IrModule {
  return new GoLowering().module(root);
}

function typeName(text: string): string {
  return text.replace(/^[*&\s]+/, '').replace(/\[.*\]$/s, '').trim();
}

class GoLowering {
  readonly t = new Tree();
  readonly functions: IrFunction[] = [];
  readonly module_: IrModule = { functions: this.functions, classes: [], imports: {} };
  #fn: IrFunction | undefined;
  #receiver: string | undefined;

  module(root: SgNode): IrModule {
    const top = newFunction('<module>', root);
    for (const child of this.t.kids(root)) {
      switch (child.kind) {
        case 'import_declaration':
          this.imports(child.node);
          break;
        case 'function_declaration':
        case 'method_declaration':
          this.func(child.node, child.kind);
          break;
        case 'type_declaration':
          for (const spec of this.t.kids(child.node)) {
            const [name, type] = this.t.kids(spec.node);
            if (name && type?.kind === 'struct_type') this.module_.classes.push({ name: name.node.text(), fieldTypes: {} });
          }
          break;
        case 'var_declaration':
        case 'const_declaration':
          this.withFunction(top, undefined, () => top.body.push(...this.varDeclaration(child.node)));
          break;
      }
    }
    this.functions.unshift(top);
    return this.module_;
  }

  imports(node: SgNode): void {
    const specs = this.t.kids(node).flatMap((c) => (c.kind === 'import_spec_list' ? this.t.kids(c.node) : [c]));
    for (const spec of specs) {
      if (spec.kind !== 'import_spec') continue;
      const parts = this.t.kids(spec.node);
      const pathNode = parts.find((p) => p.kind === 'interpreted_string_literal' || p.kind === 'raw_string_literal');
      if (!pathNode) continue;
      const path = unquote(pathNode.node.text());
      const alias = parts.find((p) => p.kind === 'package_identifier');
      const name = alias ? alias.node.text() : path.slice(path.lastIndexOf('/') + 1).replace(/^go-/, '').replace(/\.v\d+$|\/v\d+$/, '');
      if (name !== '_' && name !== '.') this.module_.imports[name] = path;
    }
  }

  withFunction(fn: IrFunction, receiver: string | undefined, body: () => void): void {
    const outer = [this.#fn, this.#receiver] as const;
    this.#fn = fn;
    this.#receiver = receiver;
    body();
    [this.#fn, this.#receiver] = outer;
  }

  params(list: SgNode | undefined, fn: IrFunction): void {
    for (const decl of list ? this.t.kids(list) : []) {
      if (decl.kind !== 'parameter_declaration' && decl.kind !== 'variadic_parameter_declaration') continue;
      const parts = this.t.kids(decl.node);
      const type = parts.find((p) => TYPE_KINDS.has(p.kind));
      const typeText = type ? typeName(type.node.text()) : undefined;
      for (const id of parts.filter((p) => p.kind === 'identifier')) {
        fn.params.push({ name: id.node.text(), at: id.node, ...(typeText ? { type: typeText } : {}), ...(decl.kind === 'variadic_parameter_declaration' ? { rest: true } : {}) });
        if (typeText) fn.types[id.node.text()] = typeText;
      }
    }
  }

  func(node: SgNode, kind: string): IrFunction {
    const kids = this.t.kids(node);
    const lists = kids.filter((c) => c.kind === 'parameter_list');
    const nameNode = kids.find((c) => c.kind === 'identifier' || c.kind === 'field_identifier');
    let receiverName: string | undefined;
    let className: string | undefined;
    if (kind === 'method_declaration' && lists[0]) {
      const decl = this.t.kids(lists[0].node)[0];
      const parts = decl ? this.t.kids(decl.node) : [];
      receiverName = parts.find((p) => p.kind === 'identifier')?.node.text();
      const type = parts.find((p) => TYPE_KINDS.has(p.kind));
      className = type ? typeName(type.node.text()) : undefined;
    }
    const fn = newFunction(nameNode ? nameNode.node.text() : '<lambda>', node, className);
    this.params(kind === 'method_declaration' ? lists[1]?.node : lists[0]?.node, fn);
    const body = kids.find((c) => c.kind === 'block');
    this.withFunction(fn, receiverName, () => {
      if (body) fn.body = this.block(body.node);
    });
    this.functions.push(fn);
    return fn;
  }

  // ---- statements ------------------------------------------------------------------------------

  block(node: SgNode): Stmt[] {
    return this.t.kids(node).flatMap((c) => (c.kind === 'statement_list' ? this.t.kids(c.node).flatMap((s) => this.stmt(s.node, s.kind)) : this.stmt(c.node, c.kind)));
  }

  stmt(node: SgNode, kind: string): Stmt[] {
    switch (kind) {
      case 'short_var_declaration':
      case 'assignment_statement':
        return this.assignment(node);
      case 'var_declaration':
      case 'const_declaration':
        return this.varDeclaration(node);
      case 'expression_statement': {
        const [inner] = this.t.kids(node);
        return inner ? [{ k: 'expr', e: this.expr(inner.node, inner.kind) }] : [];
      }
      case 'go_statement':
      case 'defer_statement':
        return this.t.kids(node).map((c) => ({ k: 'expr', e: this.expr(c.node, c.kind) }) as Stmt);
      case 'return_statement': {
        const [list] = this.t.kids(node);
        const values = list ? this.exprList(list.node, list.kind) : [];
        return [{ k: 'return', at: node, ...(values.length ? { value: values.length === 1 ? values[0]! : { k: 'array', items: values, at: node } } : {}) }];
      }
      case 'if_statement': {
        const kids = this.t.kids(node);
        const blocks = kids.filter((c) => c.kind === 'block' || c.kind === 'if_statement');
        const init = kids.find((c) => c.kind === 'short_var_declaration' || c.kind === 'assignment_statement' || c.kind === 'expression_statement');
        const cond = kids.find((c) => c !== init && !blocks.includes(c));
        const [then, otherwise] = blocks;
        return [
          ...(init ? this.stmt(init.node, init.kind) : []),
          { k: 'if', test: cond ? this.expr(cond.node, cond.kind) : opaque([]), then: then ? this.block(then.node) : [], else: otherwise ? (otherwise.kind === 'block' ? this.block(otherwise.node) : this.stmt(otherwise.node, otherwise.kind)) : [] },
        ];
      }
      case 'for_statement': {
        const kids = this.t.kids(node);
        const body = kids.find((c) => c.kind === 'block');
        const head: Stmt[] = [];
        for (const part of kids.filter((c) => c !== body)) {
          if (part.kind === 'range_clause') {
            const [left, right] = this.t.kids(part.node);
            if (left && right && left !== right) {
              const element: Expr = { k: 'get', obj: this.expr(right.node, right.kind), key: null, at: right.node };
              const names = this.t.kids(left.node);
              // `for i, v := range xs`: the index is a number, the value an element
              names.forEach((n, i) => {
                if (n.kind === 'identifier' && n.node.text() !== '_') head.push({ k: 'assign', target: { k: 'var', name: n.node.text() }, value: i === 0 && names.length > 1 ? { k: 'lit', value: 0 } : element, at: part.node });
              });
            }
          } else if (part.kind === 'for_clause') {
            head.push(...this.t.kids(part.node).flatMap((c) => this.stmt(c.node, c.kind)));
          }
        }
        return [...head, { k: 'loop', body: [...head, ...(body ? this.block(body.node) : [])] }];
      }
      case 'expression_switch_statement':
      case 'type_switch_statement':
      case 'select_statement': {
        const kids = this.t.kids(node);
        const cases = kids.filter((c) => c.kind === 'expression_case' || c.kind === 'default_case' || c.kind === 'type_case' || c.kind === 'communication_case');
        const init = kids.find((c) => c.kind === 'short_var_declaration');
        const subject = kids.find((c) => c !== init && !cases.includes(c));
        const value = subject && kind === 'expression_switch_statement' ? this.expr(subject.node, subject.kind) : undefined;
        let chain: Stmt[] = [];
        const defaultCase = cases.find((c) => c.kind === 'default_case');
        if (defaultCase) chain = this.caseBody(defaultCase.node);
        for (const c of [...cases].reverse()) {
          if (c.kind === 'default_case') continue;
          const labels = this.t.kids(c.node).find((k) => k.kind === 'expression_list');
          const tests = value && labels ? this.exprList(labels.node, labels.kind).map((t): Expr => ({ k: 'bin', op: '==', left: value, right: t, at: c.node })) : [];
          const test: Expr = tests.length ? tests.reduce((a, b) => ({ k: 'bin', op: '||', left: a, right: b, at: c.node })) : opaque([]);
          chain = [{ k: 'if', test, then: this.caseBody(c.node), else: chain }];
        }
        return [...(init ? this.stmt(init.node, init.kind) : []), ...chain];
      }
      case 'block':
        return this.block(node);
      case 'labeled_statement':
        return this.t.kids(node).slice(1).flatMap((c) => this.stmt(c.node, c.kind));
      case 'inc_statement':
      case 'dec_statement':
      case 'break_statement':
      case 'continue_statement':
      case 'comment':
      case 'empty_statement':
      case 'fallthrough_statement':
      case 'goto_statement':
        return [];
      default:
        return [{ k: 'expr', e: this.expr(node, kind) }];
    }
  }

  caseBody(node: SgNode): Stmt[] {
    return this.t.kids(node).flatMap((c) => (c.kind === 'statement_list' ? this.t.kids(c.node).flatMap((s) => this.stmt(s.node, s.kind)) : c.kind === 'expression_list' ? [] : this.stmt(c.node, c.kind)));
  }

  varDeclaration(node: SgNode): Stmt[] {
    const specs = this.t.kids(node).flatMap((c) => (c.kind === 'var_spec_list' || c.kind === 'const_spec_list' ? this.t.kids(c.node) : [c]));
    const out: Stmt[] = [];
    for (const spec of specs) {
      if (spec.kind !== 'var_spec' && spec.kind !== 'const_spec') continue;
      const parts = this.t.kids(spec.node);
      const names = parts.filter((p) => p.kind === 'identifier');
      const type = parts.find((p) => TYPE_KINDS.has(p.kind));
      const values = parts.find((p) => p.kind === 'expression_list');
      const exprs = values ? this.exprList(values.node, values.kind) : [];
      names.forEach((n, i) => {
        const name = n.node.text();
        if (type && this.#fn) this.#fn.types[name] = typeName(type.node.text());
        const value = exprs.length === names.length ? exprs[i] : exprs[0];
        if (value) out.push({ k: 'assign', target: { k: 'var', name }, value, at: spec.node, ...(type ? { type: typeName(type.node.text()) } : {}) });
      });
    }
    return out;
  }

  assignment(node: SgNode): Stmt[] {
    const all = this.t.all(node);
    const lists = all.filter((c) => c.kind === 'expression_list');
    const [left, right] = lists;
    if (!left || !right) return [];
    const op = all.find((c) => c.kind.endsWith('=') && c.kind !== '==')?.kind ?? '=';
    const targets = this.t.kids(left.node);
    const values = this.exprList(right.node, right.kind);
    const out: Stmt[] = [];
    targets.forEach((target, i) => {
      let value = values.length === targets.length ? values[i]! : values[0] ?? opaque([]);
      if (target.kind === 'identifier' && target.node.text() === '_') {
        // `_ = tmpl.Execute(w, x)`: the value is dropped but the call still runs (and may be a sink)
        if (values.length === targets.length || i === 0) out.push({ k: 'expr', e: value });
        return;
      }
      if (op !== '=' && op !== ':=') value = { k: 'bin', op: op.slice(0, -1), left: this.expr(target.node, target.kind), right: value, at: node };
      const lvalue = this.lvalue(target.node, target.kind);
      if (lvalue) out.push({ k: 'assign', target: lvalue, value, at: node });
    });
    return out;
  }

  lvalue(node: SgNode, kind: string): LValue | undefined {
    const read = this.expr(node, kind);
    if (read.k === 'var') return { k: 'var', name: read.name };
    if (read.k === 'get') return { k: 'field', obj: read.obj, key: read.key };
    if (read.k === 'unary' && read.op === '*') return this.lvalue(this.t.kids(node)[0]!.node, this.t.kids(node)[0]!.kind);
    return undefined;
  }

  exprList(node: SgNode, kind: string): Expr[] {
    return kind === 'expression_list' ? this.t.kids(node).map((c) => this.expr(c.node, c.kind)) : [this.expr(node, kind)];
  }

  // ---- expressions -----------------------------------------------------------------------------

  expr(node: SgNode, kind: string): Expr {
    switch (kind) {
      case 'identifier': {
        const name = node.text();
        if (name === this.#receiver) return { k: 'var', name: 'this', at: node };
        if (name === 'nil') return { k: 'lit', value: null, at: node };
        return { k: 'var', name, at: node };
      }
      case 'interpreted_string_literal':
      case 'raw_string_literal':
      case 'rune_literal':
        return { k: 'lit', value: unquote(node.text()), at: node };
      case 'int_literal':
      case 'float_literal':
        return { k: 'lit', value: Number(node.text().replace(/_/g, '')) || 0, at: node };
      case 'true':
      case 'false':
        return { k: 'lit', value: kind === 'true', at: node };
      case 'nil':
        return { k: 'lit', value: null, at: node };
      case 'selector_expression': {
        const [operand, field] = this.t.kids(node);
        if (!operand || !field) return opaque([], node);
        return { k: 'get', obj: this.expr(operand.node, operand.kind), key: field.node.text(), at: node };
      }
      case 'index_expression': {
        const [operand, index] = this.t.kids(node);
        if (!operand || !index) return opaque([], node);
        const keyExpr = this.expr(index.node, index.kind);
        const key = keyExpr.k === 'lit' && keyExpr.value !== null ? String(keyExpr.value) : null;
        return { k: 'get', obj: this.expr(operand.node, operand.kind), key, ...(key === null ? { keyExpr } : {}), at: node };
      }
      case 'slice_expression': {
        const [operand] = this.t.kids(node);
        return operand ? { k: 'get', obj: this.expr(operand.node, operand.kind), key: null, at: node } : opaque([], node);
      }
      case 'call_expression':
        return this.call(node);
      case 'type_conversion_expression': {
        const kids = this.t.kids(node);
        const type = kids[0];
        const value = kids[kids.length - 1];
        if (!type || !value || type === value) return opaque([], node);
        return { k: 'cast', type: typeName(type.node.text()), arg: this.expr(value.node, value.kind), at: node };
      }
      case 'type_assertion_expression': {
        const [operand] = this.t.kids(node);
        return operand ? this.expr(operand.node, operand.kind) : opaque([], node);
      }
      case 'binary_expression': {
        const [left, right] = this.t.kids(node);
        if (!left || !right) return opaque([], node);
        return { k: 'bin', op: this.t.token(node, BINARY_OPS) ?? '?', left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      }
      case 'unary_expression': {
        const [arg] = this.t.kids(node);
        return { k: 'unary', op: this.t.token(node, UNARY_OPS) ?? '?', arg: arg ? this.expr(arg.node, arg.kind) : opaque([]), at: node };
      }
      case 'parenthesized_expression': {
        const [inner] = this.t.kids(node);
        return inner ? this.expr(inner.node, inner.kind) : opaque([], node);
      }
      case 'composite_literal': {
        const kids = this.t.kids(node);
        const type = kids[0];
        const body = kids.find((c) => c.kind === 'literal_value');
        const typeText = type && type !== body ? typeName(type.node.text()) : '';
        const entries: Array<{ key: string | null; value: Expr }> = [];
        const items: Expr[] = [];
        for (const element of body ? this.t.kids(body.node) : []) {
          if (element.kind === 'keyed_element') {
            const [k, v] = this.t.kids(element.node);
            const keyInner = k ? (this.t.kids(k.node)[0] ?? k) : undefined;
            const valueInner = v ? (this.t.kids(v.node)[0] ?? v) : undefined;
            if (!keyInner || !valueInner) continue;
            const keyExpr = keyInner.kind === 'identifier' || keyInner.kind === 'field_identifier' ? ({ k: 'lit', value: keyInner.node.text() } as Expr) : this.expr(keyInner.node, keyInner.kind);
            entries.push({ key: keyExpr.k === 'lit' && keyExpr.value !== null ? String(keyExpr.value) : null, value: this.expr(valueInner.node, valueInner.kind) });
          } else {
            const inner = this.t.kids(element.node)[0] ?? element;
            items.push(this.expr(inner.node, inner.kind));
          }
        }
        if (entries.length || !items.length) {
          const object: Expr = { k: 'object', entries, at: node };
          return this.module_.classes.some((c) => c.name === typeText) ? { k: 'cast', type: typeText, arg: object, at: node } : object;
        }
        return { k: 'array', items, at: node };
      }
      case 'func_literal': {
        const fn = newFunction('<lambda>', node, this.#fn?.className);
        const kids = this.t.kids(node);
        this.params(kids.find((c) => c.kind === 'parameter_list')?.node, fn);
        const body = kids.find((c) => c.kind === 'block');
        this.withFunction(fn, this.#receiver, () => {
          if (body) fn.body = this.block(body.node);
        });
        this.functions.push(fn);
        return { k: 'fn', fn };
      }
      case 'expression_list': {
        const items = this.exprList(node, kind);
        return items.length === 1 ? items[0]! : { k: 'array', items, at: node };
      }
      default:
        return opaque(this.t.kids(node).filter((c) => !TYPE_KINDS.has(c.kind)).map((c) => this.expr(c.node, c.kind)), node);
    }
  }

  call(node: SgNode): Expr {
    const kids = this.t.kids(node).filter((c) => c.kind !== 'type_arguments');
    const [callee, argsNode] = kids;
    if (!callee) return opaque([], node);
    const args = argsNode ? this.t.kids(argsNode.node).filter((c) => !TYPE_KINDS.has(c.kind) || c.kind === 'type_identifier').map((c) => this.expr(c.node, c.kind)) : [];
    const calleeExpr = this.expr(callee.node, callee.kind);
    if (calleeExpr.k === 'var') return { k: 'call', name: calleeExpr.name, path: calleeExpr.name, args, at: node };
    if (calleeExpr.k === 'get' && calleeExpr.key !== null) {
      const path = dottedPath(calleeExpr);
      return { k: 'call', name: calleeExpr.key, receiver: calleeExpr.obj, ...(path !== undefined ? { path } : {}), args, at: node };
    }
    return { k: 'call', name: '<dynamic>', receiver: calleeExpr, args, at: node };
  }
}
