import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrFunction, IrModule, LValue, Stmt } from './ir.ts';
import { dottedPath } from './lower-javascript.ts';
import { newFunction, opaque, Tree, unquote } from './lower-common.ts';

/**
 * Lowers a Java tree (tree-sitter) to the taint IR (contract in ir.ts). Java specifics:
 * - a bare name that is not a local but a field of the enclosing classes reads `this.name`;
 * - declared types of locals, parameters and fields go into `types` (generics and packages
 *   stripped: `java.util.List<String>` is `List`), so models match receivers by type;
 * - parameter annotations (`@RequestParam`) are kept for Spring sources;
 * - `switch` becomes an if-chain on its case labels with fall-through, so a switch on a constant
 *   folds like an if.
 */

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||', '&', '|', '^', '<<', '>>', '>>>']);
const UNARY_OPS = new Set(['!', '-', '+', '~']);

export function lowerJava(root: SgNode): IrModule {
  return new JavaLowering().module(root);
}

/** `java.util.List<String>` -> `List`; `String[]` -> `String[]`. */
function simpleType(text: string): string {
  const noGenerics = text.replace(/<.*>/s, '').trim();
  return noGenerics.slice(noGenerics.lastIndexOf('.') + 1);
}

interface Scope {
  className: string;
  fields: Set<string>;
}

class JavaLowering {
  readonly t = new Tree();
  readonly functions: IrFunction[] = [];
  readonly module_: IrModule = { functions: this.functions, classes: [], imports: {} };
  readonly #scopes: Scope[] = [];
  #locals = new Set<string>();
  #fn: IrFunction | undefined;

  module(root: SgNode): IrModule {
    for (const child of this.t.kids(root)) {
      if (child.kind === 'import_declaration') {
        const path = this.t.kids(child.node).find((c) => c.kind === 'scoped_identifier' || c.kind === 'identifier');
        if (path) {
          const full = path.node.text();
          this.module_.imports[full.slice(full.lastIndexOf('.') + 1)] = full;
        }
      } else if (child.kind === 'class_declaration' || child.kind === 'enum_declaration' || child.kind === 'interface_declaration' || child.kind === 'record_declaration') {
        this.cls(child.node, child.kind);
      }
    }
    return this.module_;
  }

  get className(): string | undefined {
    return this.#scopes[this.#scopes.length - 1]?.className;
  }

  isField(name: string): boolean {
    return this.#scopes.some((s) => s.fields.has(name));
  }

  // ---- classes and methods ---------------------------------------------------------------------

  cls(node: SgNode, kind: string): void {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier');
    const name = nameNode ? nameNode.node.text() : '<class>';
    const body = kids.find((c) => c.kind === 'class_body' || c.kind === 'enum_body' || c.kind === 'interface_body');
    const members = body ? this.t.kids(body.node) : [];
    const enumBodyDecls = members.find((m) => m.kind === 'enum_body_declarations');
    const allMembers = enumBodyDecls ? [...members, ...this.t.kids(enumBodyDecls.node)] : members;
    const fieldTypes: Record<string, string> = {};
    const scope: Scope = { className: name, fields: new Set() };
    for (const member of allMembers) {
      if (member.kind === 'field_declaration' || member.kind === 'constant_declaration') {
        const parts = this.t.kids(member.node);
        const type = parts.find((p) => p.kind.endsWith('type') || p.kind === 'type_identifier');
        for (const declarator of parts.filter((p) => p.kind === 'variable_declarator')) {
          const id = this.t.kids(declarator.node)[0];
          if (!id) continue;
          scope.fields.add(id.node.text());
          if (type) fieldTypes[id.node.text()] = simpleType(type.node.text());
        }
      } else if (member.kind === 'enum_constant') {
        const id = this.t.kids(member.node)[0];
        if (id) scope.fields.add(id.node.text());
      }
    }
    this.module_.classes.push({ name, fieldTypes, ...(kind === 'enum_declaration' ? { isEnum: true } : {}) });
    this.#scopes.push(scope);
    const init = newFunction('<fields>', node, name);
    for (const member of allMembers) {
      switch (member.kind) {
        case 'method_declaration':
        case 'constructor_declaration':
        case 'compact_constructor_declaration':
          this.method(member.node, member.kind);
          break;
        case 'field_declaration':
        case 'constant_declaration':
          this.withFunction(init, () => {
            for (const declarator of this.t.kids(member.node).filter((p) => p.kind === 'variable_declarator')) {
              const [id, value] = this.t.kids(declarator.node);
              if (id && value) init.body.push({ k: 'assign', target: { k: 'field', obj: { k: 'var', name: 'this', at: declarator.node }, key: id.node.text() }, value: this.expr(value.node, value.kind), at: declarator.node });
            }
          });
          break;
        case 'class_declaration':
        case 'enum_declaration':
        case 'interface_declaration':
        case 'record_declaration':
          this.cls(member.node, member.kind);
          break;
        case 'static_initializer':
        case 'block':
          this.withFunction(init, () => init.body.push(...this.t.kids(member.node).flatMap((c) => (c.kind === 'block' ? this.block(c.node) : this.stmt(c.node, c.kind)))));
          break;
      }
    }
    if (init.body.length) this.functions.push(init);
    this.#scopes.pop();
  }

  withFunction(fn: IrFunction, body: () => void): void {
    const outerFn = this.#fn;
    const outerLocals = this.#locals;
    this.#fn = fn;
    this.#locals = new Set(fn.params.map((p) => p.name));
    body();
    this.#fn = outerFn;
    this.#locals = outerLocals;
  }

  method(node: SgNode, kind: string): IrFunction {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier');
    const fn = newFunction(kind === 'method_declaration' && nameNode ? nameNode.node.text() : '<init>', node, this.className);
    const modifiers = kids.find((c) => c.kind === 'modifiers');
    if (modifiers) {
      const annotations = this.annotations(modifiers.node);
      if (annotations.length) fn.decorators = annotations;
    }
    const params = kids.find((c) => c.kind === 'formal_parameters');
    for (const param of params ? this.t.kids(params.node) : []) {
      if (param.kind !== 'formal_parameter' && param.kind !== 'spread_parameter') continue;
      const parts = this.t.kids(param.node);
      const id = [...parts].reverse().find((p) => p.kind === 'identifier' || p.kind === 'variable_declarator');
      const type = parts.find((p) => p.kind !== 'modifiers' && p !== id);
      const mods = parts.find((p) => p.kind === 'modifiers');
      if (!id) continue;
      const name = id.kind === 'variable_declarator' ? (this.t.kids(id.node)[0]?.node.text() ?? '') : id.node.text();
      const annotations = mods ? this.annotations(mods.node) : [];
      const typeName = type ? simpleType(type.node.text()) : undefined;
      fn.params.push({ name, at: param.node, ...(typeName ? { type: typeName } : {}), ...(annotations.length ? { annotations } : {}), ...(param.kind === 'spread_parameter' ? { rest: true } : {}) });
      if (typeName) fn.types[name] = typeName;
    }
    const body = kids.find((c) => c.kind === 'block' || c.kind === 'constructor_body');
    this.withFunction(fn, () => {
      if (body) fn.body = this.block(body.node);
    });
    this.functions.push(fn);
    return fn;
  }

  annotations(modifiers: SgNode): string[] {
    return this.t
      .kids(modifiers)
      .filter((c) => c.kind === 'annotation' || c.kind === 'marker_annotation')
      .map((c) => {
        const id = this.t.kids(c.node).find((k) => k.kind === 'identifier' || k.kind === 'scoped_identifier');
        return id ? simpleType(id.node.text()) : '';
      })
      .filter(Boolean);
  }

  // ---- statements ------------------------------------------------------------------------------

  block(node: SgNode): Stmt[] {
    return this.t.kids(node).flatMap((c) => this.stmt(c.node, c.kind));
  }

  body(node: SgNode, kind: string): Stmt[] {
    return kind === 'block' ? this.block(node) : this.stmt(node, kind);
  }

  stmt(node: SgNode, kind: string): Stmt[] {
    switch (kind) {
      case 'local_variable_declaration':
        return this.declaration(node);
      case 'expression_statement': {
        const [inner] = this.t.kids(node);
        return inner ? this.exprStmt(inner.node, inner.kind) : [];
      }
      case 'return_statement': {
        const [value] = this.t.kids(node);
        return [{ k: 'return', at: node, ...(value ? { value: this.expr(value.node, value.kind) } : {}) }];
      }
      case 'throw_statement':
        return [{ k: 'exit' }];
      case 'break_statement':
      case 'continue_statement':
      case 'yield_statement':
        return [];
      case 'if_statement': {
        const kids = this.t.kids(node);
        const [cond, then, otherwise] = kids;
        if (!cond || !then) return [];
        return [{ k: 'if', test: this.expr(cond.node, cond.kind), then: this.body(then.node, then.kind), else: otherwise ? this.body(otherwise.node, otherwise.kind) : [] }];
      }
      case 'block':
        return this.block(node);
      case 'while_statement':
      case 'do_statement': {
        const kids = this.t.kids(node);
        const cond = kids.find((c) => c.kind === 'parenthesized_expression');
        const body = kids.find((c) => c !== cond);
        return [...(cond ? this.exprStmt(cond.node, cond.kind) : []), { k: 'loop', body: body ? this.body(body.node, body.kind) : [] }];
      }
      case 'for_statement': {
        const kids = this.t.kids(node);
        const body = kids[kids.length - 1];
        const head = kids.slice(0, -1).flatMap((c) => (c.kind === 'local_variable_declaration' ? this.declaration(c.node) : this.exprStmt(c.node, c.kind)));
        return [...head, { k: 'loop', body: [...(body ? this.body(body.node, body.kind) : []), ...head] }];
      }
      case 'enhanced_for_statement': {
        const kids = this.t.kids(node).filter((c) => c.kind !== 'modifiers');
        const body = kids[kids.length - 1];
        const iterable = kids[kids.length - 2];
        const id = kids[kids.length - 3];
        const type = kids[kids.length - 4];
        if (!body || !iterable || !id) return [];
        const name = id.node.text();
        this.#locals.add(name);
        const bind: Stmt = { k: 'assign', target: { k: 'var', name }, value: { k: 'get', obj: this.expr(iterable.node, iterable.kind), key: null, at: iterable.node }, at: id.node, ...(type ? { type: simpleType(type.node.text()) } : {}) };
        if (type && this.#fn) this.#fn.types[name] = simpleType(type.node.text());
        return [{ k: 'loop', body: [bind, ...this.body(body.node, body.kind)] }];
      }
      case 'try_statement':
      case 'try_with_resources_statement': {
        const kids = this.t.kids(node);
        const resources = kids.find((c) => c.kind === 'resource_specification');
        const pre: Stmt[] = [];
        for (const resource of resources ? this.t.kids(resources.node) : []) {
          const parts = this.t.kids(resource.node);
          const id = parts.find((p) => p.kind === 'identifier');
          const value = parts[parts.length - 1];
          const type = parts.find((p) => p !== id && p !== value && p.kind !== 'modifiers');
          if (id && value && value !== id) {
            this.#locals.add(id.node.text());
            pre.push({ k: 'assign', target: { k: 'var', name: id.node.text() }, value: this.expr(value.node, value.kind), at: resource.node, ...(type ? { type: simpleType(type.node.text()) } : {}) });
          }
        }
        const tryBlock = kids.find((c) => c.kind === 'block');
        const handlers = kids.filter((c) => c.kind === 'catch_clause').map((c) => this.t.kids(c.node).filter((k) => k.kind === 'block').flatMap((k) => this.block(k.node)));
        const finallyBody = kids.filter((c) => c.kind === 'finally_clause').flatMap((c) => this.t.kids(c.node).flatMap((k) => this.body(k.node, k.kind)));
        return [...pre, ...(tryBlock ? this.block(tryBlock.node) : []), { k: 'choice', arms: [[], ...handlers] }, ...finallyBody];
      }
      case 'switch_expression':
      case 'switch_statement':
        return this.switchStmt(node);
      case 'synchronized_statement':
      case 'labeled_statement':
        return this.t.kids(node).flatMap((c) => (c.kind === 'block' ? this.block(c.node) : c.kind.endsWith('statement') ? this.stmt(c.node, c.kind) : []));
      case 'class_declaration':
      case 'local_class_declaration':
        this.cls(node, 'class_declaration');
        return [];
      case 'line_comment':
      case 'block_comment':
      case 'assert_statement':
      case 'empty_statement':
        return [];
      default:
        return this.exprStmt(node, kind);
    }
  }

  declaration(node: SgNode): Stmt[] {
    const kids = this.t.kids(node).filter((c) => c.kind !== 'modifiers');
    const type = kids[0];
    const typeName = type ? simpleType(type.node.text()) : undefined;
    const out: Stmt[] = [];
    for (const declarator of kids.filter((c) => c.kind === 'variable_declarator')) {
      const [id, value] = this.t.kids(declarator.node);
      if (!id) continue;
      const name = id.node.text();
      this.#locals.add(name);
      if (typeName && this.#fn) this.#fn.types[name] = typeName;
      const dims = this.t.kids(declarator.node).find((c) => c.kind === 'dimensions');
      const lastValue = value && value !== dims ? this.t.kids(declarator.node)[this.t.kids(declarator.node).length - 1] : undefined;
      if (lastValue && lastValue !== id && lastValue.kind !== 'dimensions') {
        out.push({ k: 'assign', target: { k: 'var', name }, value: this.expr(lastValue.node, lastValue.kind), at: declarator.node, ...(typeName ? { type: typeName } : {}) });
      }
    }
    return out;
  }

  switchStmt(node: SgNode): Stmt[] {
    const kids = this.t.kids(node);
    const subject = kids.find((c) => c.kind === 'parenthesized_expression');
    const block = kids.find((c) => c.kind === 'switch_block');
    if (!subject || !block) return [];
    const value = this.expr(subject.node, subject.kind);
    const groups = this.t.kids(block.node).map((group) => {
      const parts = this.t.kids(group.node);
      const labels = parts.filter((p) => p.kind === 'switch_label');
      const isDefault = labels.some((l) => this.t.kids(l.node).length === 0 || l.node.text().startsWith('default'));
      const tests = labels.flatMap((l) => this.t.kids(l.node).map((k) => this.expr(k.node, k.kind)));
      const statements = parts.filter((p) => p.kind !== 'switch_label');
      const body = statements.flatMap((s) => (s.kind === 'block' ? this.block(s.node) : s.kind.endsWith('statement') || s.kind.endsWith('declaration') ? this.stmt(s.node, s.kind) : [{ k: 'expr', e: this.expr(s.node, s.kind) } as Stmt]));
      const breaks = group.kind === 'switch_rule' || statements.some((s) => s.kind === 'break_statement' || s.kind === 'return_statement' || s.kind === 'throw_statement' || s.kind === 'yield_statement');
      return { isDefault, tests, body, breaks };
    });
    // fall-through: a group without break continues into the next one
    const bodies = groups.map((_, i) => {
      const out: Stmt[] = [];
      for (let j = i; j < groups.length; j++) {
        out.push(...groups[j]!.body);
        if (groups[j]!.breaks) break;
      }
      return out;
    });
    let chain: Stmt[] = [];
    const defaultIndex = groups.findIndex((g) => g.isDefault);
    if (defaultIndex >= 0) chain = bodies[defaultIndex]!;
    for (let i = groups.length - 1; i >= 0; i--) {
      const group = groups[i]!;
      if (group.isDefault || !group.tests.length) continue;
      const test = group.tests.map((t): Expr => ({ k: 'bin', op: '==', left: value, right: t, at: node })).reduce((a, b) => ({ k: 'bin', op: '||', left: a, right: b, at: node }));
      chain = [{ k: 'if', test, then: bodies[i]!, else: chain }];
    }
    return chain;
  }

  exprStmt(node: SgNode, kind: string): Stmt[] {
    if (kind === 'assignment_expression') return this.assignment(node);
    if (kind === 'update_expression' || kind === 'line_comment' || kind === 'block_comment') return [];
    if (kind === 'parenthesized_expression') {
      const [inner] = this.t.kids(node);
      return inner ? this.exprStmt(inner.node, inner.kind) : [];
    }
    return [{ k: 'expr', e: this.expr(node, kind) }];
  }

  assignment(node: SgNode): Stmt[] {
    const all = this.t.all(node);
    const left = all[0];
    const right = all[all.length - 1];
    if (!left || !right || left === right) return [];
    const op = all[1]?.kind ?? '=';
    let value = this.expr(right.node, right.kind);
    if (op !== '=') value = { k: 'bin', op: op.slice(0, -1), left: this.expr(left.node, left.kind), right: value, at: node };
    const target = this.lvalue(left.node, left.kind);
    return target ? [{ k: 'assign', target, value, at: node }] : [];
  }

  lvalue(node: SgNode, kind: string): LValue | undefined {
    const read = this.expr(node, kind);
    if (read.k === 'var') return { k: 'var', name: read.name };
    if (read.k === 'get') return { k: 'field', obj: read.obj, key: read.key };
    return undefined;
  }

  // ---- expressions -----------------------------------------------------------------------------

  expr(node: SgNode, kind: string): Expr {
    switch (kind) {
      case 'identifier': {
        const name = node.text();
        if (!this.#locals.has(name) && this.isField(name)) return { k: 'get', obj: { k: 'var', name: 'this', at: node }, key: name, at: node };
        return { k: 'var', name, at: node };
      }
      case 'this':
        return { k: 'var', name: 'this', at: node };
      case 'string_literal':
      case 'text_block':
        return { k: 'lit', value: unquote(node.text()), at: node };
      case 'character_literal':
        return { k: 'lit', value: unquote(node.text()), at: node };
      case 'decimal_integer_literal':
      case 'hex_integer_literal':
      case 'octal_integer_literal':
      case 'binary_integer_literal':
      case 'decimal_floating_point_literal':
        return { k: 'lit', value: Number(node.text().replace(/[_lLfFdD]/g, '')) || 0, at: node };
      case 'true':
      case 'false':
        return { k: 'lit', value: kind === 'true', at: node };
      case 'null_literal':
        return { k: 'lit', value: null, at: node };
      case 'field_access': {
        const kids = this.t.kids(node);
        const obj = kids[0];
        const field = kids[kids.length - 1];
        if (!obj || !field || obj === field) return opaque([], node);
        return { k: 'get', obj: this.expr(obj.node, obj.kind), key: field.node.text(), at: node };
      }
      case 'array_access': {
        const [array, index] = this.t.kids(node);
        if (!array || !index) return opaque([], node);
        const keyExpr = this.expr(index.node, index.kind);
        const key = keyExpr.k === 'lit' && keyExpr.value !== null ? String(keyExpr.value) : null;
        return { k: 'get', obj: this.expr(array.node, array.kind), key, ...(key === null ? { keyExpr } : {}), at: node };
      }
      case 'method_invocation':
        return this.invocation(node);
      case 'object_creation_expression': {
        const kids = this.t.kids(node);
        const type = kids.find((c) => c.kind.endsWith('type') || c.kind === 'type_identifier' || c.kind === 'scoped_type_identifier');
        const args = kids.find((c) => c.kind === 'argument_list');
        const typeText = type ? type.node.text().replace(/<.*>/s, '') : '<anonymous>';
        const classBody = kids.find((c) => c.kind === 'class_body');
        if (classBody) this.cls(node, 'class_declaration');
        return { k: 'call', name: simpleType(typeText), path: typeText, isNew: true, args: args ? this.t.kids(args.node).map((c) => this.expr(c.node, c.kind)) : [], at: node };
      }
      case 'binary_expression': {
        const [left, right] = this.t.kids(node);
        const op = this.t.token(node, BINARY_OPS) ?? '?';
        if (!left || !right) return opaque([], node);
        return { k: 'bin', op, left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      }
      case 'unary_expression': {
        const [arg] = this.t.kids(node);
        return { k: 'unary', op: this.t.token(node, UNARY_OPS) ?? '?', arg: arg ? this.expr(arg.node, arg.kind) : opaque([]), at: node };
      }
      case 'ternary_expression': {
        const [test, then, otherwise] = this.t.kids(node);
        if (!test || !then || !otherwise) return opaque([], node);
        return { k: 'cond', test: this.expr(test.node, test.kind), then: this.expr(then.node, then.kind), else: this.expr(otherwise.node, otherwise.kind), at: node };
      }
      case 'cast_expression': {
        const kids = this.t.kids(node);
        const type = kids[0];
        const value = kids[kids.length - 1];
        if (!type || !value || type === value) return opaque([], node);
        return { k: 'cast', type: simpleType(type.node.text()), arg: this.expr(value.node, value.kind), at: node };
      }
      case 'parenthesized_expression': {
        const [inner] = this.t.kids(node);
        return inner ? this.expr(inner.node, inner.kind) : opaque([], node);
      }
      case 'array_creation_expression': {
        const init = this.t.kids(node).find((c) => c.kind === 'array_initializer');
        return init ? this.expr(init.node, init.kind) : { k: 'array', items: [], at: node };
      }
      case 'array_initializer':
        return { k: 'array', items: this.t.kids(node).map((c) => this.expr(c.node, c.kind)), at: node };
      case 'lambda_expression': {
        const fn = newFunction('<lambda>', node, this.className);
        const kids = this.t.kids(node);
        const body = kids[kids.length - 1];
        this.withFunction(fn, () => {
          if (body?.kind === 'block') fn.body = this.block(body.node);
          else if (body) fn.body = [{ k: 'return', value: this.expr(body.node, body.kind), at: body.node }];
        });
        this.functions.push(fn);
        return { k: 'fn', fn };
      }
      case 'assignment_expression': {
        const all = this.t.all(node);
        const right = all[all.length - 1];
        return right ? this.expr(right.node, right.kind) : opaque([], node);
      }
      case 'instanceof_expression':
        return { k: 'lit', value: true, at: node };
      case 'update_expression':
        return { k: 'unary', op: '-', arg: opaque([]), at: node };
      case 'class_literal':
      case 'method_reference':
        return opaque([], node);
      case 'switch_expression':
        return opaque([], node);
      default:
        return opaque(this.t.kids(node).map((c) => this.expr(c.node, c.kind)), node);
    }
  }

  invocation(node: SgNode): Expr {
    const kids = this.t.kids(node).filter((c) => c.kind !== 'type_arguments');
    const argsNode = kids.find((c) => c.kind === 'argument_list');
    const args = argsNode ? this.t.kids(argsNode.node).map((c) => this.expr(c.node, c.kind)) : [];
    const before = kids.filter((c) => c !== argsNode);
    const nameNode = before[before.length - 1];
    if (!nameNode) return opaque(args, node);
    const name = nameNode.node.text();
    const objectNode = before.length >= 2 ? before[0] : undefined;
    if (!objectNode) return { k: 'call', name, path: name, args, at: node };
    const receiver: Expr = objectNode.kind === 'super' ? { k: 'var', name: 'super', at: objectNode.node } : this.expr(objectNode.node, objectNode.kind);
    const base = dottedPath(receiver);
    return { k: 'call', name, receiver, ...(base !== undefined ? { path: `${base}.${name}` } : {}), args, at: node };
  }
}
