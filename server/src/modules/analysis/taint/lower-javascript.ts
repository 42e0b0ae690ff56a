import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrFunction, IrModule, LValue, Stmt } from './ir.ts';
import { newFunction, opaque, Tree, unquote } from './lower-common.ts';

/**
 * Lowers a JavaScript/TypeScript/TSX tree (tree-sitter) to the taint IR. The reference lowering:
 * see ir.ts for the contract. Types in TS annotations are ignored on purpose: `req.query.id as
 * number` is still a string at run time.
 */

const BINARY_OPS = new Set(['+', '-', '*', '/', '%', '**', '==', '===', '!=', '!==', '<', '>', '<=', '>=', '&&', '||', '??', 'in', 'instanceof', '&', '|', '^', '<<', '>>', '>>>']);
const UNARY_OPS = new Set(['!', '-', '+', 'typeof', 'void', 'delete', '~']);
const TS_WRAPPERS = new Set(['as_expression', 'satisfies_expression', 'non_null_expression', 'type_assertion', 'parenthesized_expression', 'await_expression']);

export function lowerJavaScript(root: SgNode): IrModule {
  return new JsLowering().module(root);
}

class JsLowering {
  readonly t = new Tree();
  readonly functions: IrFunction[] = [];
  readonly #declaredLocals = new Set<string>();
  readonly module_: IrModule = { functions: this.functions, classes: [], imports: {}, declaredLocals: this.#declaredLocals };
  #className: string | undefined;

  module(root: SgNode): IrModule {
    const top = newFunction('<module>', root);
    top.body = this.block(root);
    this.functions.unshift(top);
    return this.module_;
  }

  text(node: SgNode): string {
    return node.text();
  }

  // ---- statements -------------------------------------------------------------------------

  block(node: SgNode): Stmt[] {
    const out: Stmt[] = [];
    for (const child of this.t.kids(node)) out.push(...this.stmt(child.node, child.kind));
    return out;
  }

  body(node: SgNode, kind: string): Stmt[] {
    return kind === 'statement_block' ? this.block(node) : this.stmt(node, kind);
  }

  stmt(node: SgNode, kind: string): Stmt[] {
    switch (kind) {
      case 'expression_statement': {
        const [inner] = this.t.kids(node);
        return inner ? this.exprStmt(inner.node, inner.kind) : [];
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        return this.t.kids(node).filter((c) => c.kind === 'variable_declarator').flatMap((c) => this.declarator(c.node));
      case 'return_statement': {
        const [value] = this.t.kids(node);
        return [{ k: 'return', at: node, ...(value ? { value: this.expr(value.node, value.kind) } : {}) }];
      }
      case 'throw_statement':
      case 'break_statement':
      case 'continue_statement':
        return [...this.t.kids(node).flatMap((c) => this.exprStmt(c.node, c.kind)), { k: 'exit' }];
      case 'if_statement': {
        const kids = this.t.kids(node);
        const test = kids[0] ? this.expr(kids[0].node, kids[0].kind) : opaque([]);
        const then = kids[1] ? this.body(kids[1].node, kids[1].kind) : [];
        const elseClause = kids.find((c) => c.kind === 'else_clause');
        const elseBody = elseClause ? this.t.kids(elseClause.node).flatMap((c) => this.body(c.node, c.kind)) : [];
        return [{ k: 'if', test, then, else: elseBody }];
      }
      case 'statement_block':
        return this.block(node);
      case 'for_in_statement': {
        // for (const x of xs) / for (k in obj): x is an element (unknown key) of xs
        const kids = this.t.kids(node);
        const body = kids[kids.length - 1];
        const left = kids[0];
        const right = kids[kids.length - 2];
        const pre: Stmt[] = [];
        if (left && right && left !== right) {
          const iterated = this.expr(right.node, right.kind);
          pre.push(...this.bindPattern(left.node, left.kind, { k: 'get', obj: iterated, key: null, at: right.node }, node));
        }
        return [...pre, { k: 'loop', body: [...pre, ...(body ? this.body(body.node, body.kind) : [])] }];
      }
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': {
        const kids = this.t.kids(node);
        const body = kids[kids.length - 1];
        const head = kids.slice(0, -1).flatMap((c) => this.stmtOrExpr(c.node, c.kind));
        return [...head, { k: 'loop', body: [...(body ? this.body(body.node, body.kind) : []), ...head] }];
      }
      case 'try_statement': {
        const kids = this.t.kids(node);
        const tryBody = kids[0] ? this.block(kids[0].node) : [];
        const handler = kids.find((c) => c.kind === 'catch_clause');
        const finalizer = kids.find((c) => c.kind === 'finally_clause');
        const handlerBody = handler ? this.t.kids(handler.node).filter((c) => c.kind === 'statement_block').flatMap((c) => this.block(c.node)) : [];
        const finallyBody = finalizer ? this.t.kids(finalizer.node).flatMap((c) => this.body(c.node, c.kind)) : [];
        // the handler may run after any part of the body: approximate as "body, then maybe handler"
        return [...tryBody, { k: 'choice', arms: [[], handlerBody] }, ...finallyBody];
      }
      case 'switch_statement': {
        const kids = this.t.kids(node);
        const value = kids[0] ? this.exprStmt(kids[0].node, kids[0].kind) : [];
        const switchBody = kids.find((c) => c.kind === 'switch_body');
        const arms = switchBody
          ? this.t.kids(switchBody.node).map((arm) => this.t.kids(arm.node).filter((c, i) => arm.kind === 'switch_default' || i > 0).flatMap((c) => this.stmt(c.node, c.kind)))
          : [];
        return [...value, { k: 'choice', arms: [...arms, []] }];
      }
      case 'function_declaration':
      case 'generator_function_declaration': {
        this.fn(node, kind);
        return [];
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
        this.cls(node);
        return [];
      case 'export_statement':
        return this.t.kids(node).flatMap((c) => this.stmt(c.node, c.kind));
      case 'import_statement':
        this.importStatement(node);
        return [];
      case 'labeled_statement':
        return this.t.kids(node).slice(1).flatMap((c) => this.stmt(c.node, c.kind));
      default:
        return this.exprStmt(node, kind);
    }
  }

  stmtOrExpr(node: SgNode, kind: string): Stmt[] {
    if (kind === 'lexical_declaration' || kind === 'variable_declaration' || kind === 'expression_statement') return this.stmt(node, kind);
    return this.exprStmt(node, kind);
  }

  exprStmt(node: SgNode, kind: string): Stmt[] {
    if (kind === 'comment' || kind === 'empty_statement' || kind.endsWith('_declaration') || kind === 'type_alias_declaration') {
      if (kind === 'function_declaration' || kind === 'class_declaration') return this.stmt(node, kind);
      return [];
    }
    if (kind === 'assignment_expression' || kind === 'augmented_assignment_expression') return this.assignment(node, kind);
    if (kind === 'sequence_expression') return this.t.kids(node).flatMap((c) => this.exprStmt(c.node, c.kind));
    if (kind === 'parenthesized_expression' || kind === 'await_expression') {
      const [inner] = this.t.kids(node);
      return inner ? this.exprStmt(inner.node, inner.kind) : [];
    }
    return [{ k: 'expr', e: this.expr(node, kind) }];
  }

  declarator(node: SgNode): Stmt[] {
    const kids = this.t.kids(node);
    const name = kids[0];
    const value = kids.find((c, i) => i > 0 && c.kind !== 'type_annotation');
    if (!name || !value) return [];
    this.noteRequire(name, value);
    if (name.kind === 'identifier' && this.module_.imports[this.text(name.node)] === undefined) this.#declaredLocals.add(this.text(name.node));
    return this.bindPattern(name.node, name.kind, this.expr(value.node, value.kind), node);
  }

  /** `const x = v`, `const { a, b: c } = v`, `const [x, y] = v`. */
  bindPattern(node: SgNode, kind: string, value: Expr, at: SgNode): Stmt[] {
    if (kind === 'identifier' || kind === 'shorthand_property_identifier_pattern') return [{ k: 'assign', target: { k: 'var', name: this.text(node) }, value, at }];
    if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
      const decl = this.t.kids(node).find((c) => c.kind === 'variable_declarator');
      const target = decl && this.t.kids(decl.node)[0];
      return target ? this.bindPattern(target.node, target.kind, value, at) : [];
    }
    if (kind === 'object_pattern') {
      const out: Stmt[] = [];
      for (const prop of this.t.kids(node)) {
        if (prop.kind === 'shorthand_property_identifier_pattern') {
          const name = this.text(prop.node);
          out.push({ k: 'assign', target: { k: 'var', name }, value: { k: 'get', obj: value, key: name, at: prop.node }, at: prop.node });
        } else if (prop.kind === 'pair_pattern') {
          const [key, target] = this.t.kids(prop.node);
          if (key && target) out.push(...this.bindPattern(target.node, target.kind, { k: 'get', obj: value, key: this.propertyKey(key.node, key.kind), at: prop.node }, prop.node));
        } else if (prop.kind === 'object_assignment_pattern') {
          const [target] = this.t.kids(prop.node);
          if (target) out.push(...this.bindPattern(target.node, target.kind, { k: 'get', obj: value, key: this.text(target.node), at: prop.node }, prop.node));
        } else if (prop.kind === 'rest_pattern') {
          const [target] = this.t.kids(prop.node);
          if (target) out.push(...this.bindPattern(target.node, target.kind, value, prop.node));
        }
      }
      return out;
    }
    if (kind === 'array_pattern') {
      return this.t.kids(node).flatMap((c, i) => this.bindPattern(c.node, c.kind, { k: 'get', obj: value, key: String(i), at: c.node }, c.node));
    }
    if (kind === 'assignment_pattern') {
      const [target] = this.t.kids(node);
      return target ? this.bindPattern(target.node, target.kind, value, at) : [];
    }
    return [];
  }

  propertyKey(node: SgNode, kind: string): string | null {
    if (kind === 'property_identifier' || kind === 'identifier' || kind === 'shorthand_property_identifier') return this.text(node);
    if (kind === 'string') return unquote(this.text(node));
    if (kind === 'number') return String(Number(this.text(node)));
    return null;
  }

  assignment(node: SgNode, kind: string): Stmt[] {
    const all = this.t.all(node);
    const left = all.find((c) => c.kind !== 'comment');
    const rightEntry = all[all.length - 1];
    if (!left || !rightEntry || left === rightEntry) return [];
    let value = this.expr(rightEntry.node, rightEntry.kind);
    if (kind === 'augmented_assignment_expression') {
      const op = all[1]?.kind.slice(0, -1) ?? '+';
      value = { k: 'bin', op, left: this.expr(left.node, left.kind), right: value, at: node };
    }
    const target = this.lvalue(left.node, left.kind);
    if (!target) return this.bindPattern(left.node, left.kind, value, node);
    return [{ k: 'assign', target, value, at: node }];
  }

  lvalue(node: SgNode, kind: string): LValue | undefined {
    if (kind === 'identifier') return { k: 'var', name: this.text(node) };
    if (kind === 'member_expression' || kind === 'subscript_expression') {
      const read = this.expr(node, kind);
      if (read.k === 'get') return { k: 'field', obj: read.obj, key: read.key };
    }
    if (kind === 'parenthesized_expression' || kind === 'non_null_expression') {
      const [inner] = this.t.kids(node);
      return inner ? this.lvalue(inner.node, inner.kind) : undefined;
    }
    return undefined;
  }

  // ---- functions, classes, imports --------------------------------------------------------

  fn(node: SgNode, kind: string, nameHint?: string): IrFunction {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier' || c.kind === 'property_identifier' || c.kind === 'private_property_identifier');
    const fn = newFunction(nameHint ?? (kind === 'arrow_function' || !nameNode ? '<lambda>' : this.text(nameNode.node)), node, this.#className);
    if (kind === 'method_definition' && nameNode) fn.name = this.text(nameNode.node);
    const params = kids.find((c) => c.kind === 'formal_parameters');
    if (params) {
      for (const param of this.t.kids(params.node)) {
        const parts = param.kind === 'required_parameter' || param.kind === 'optional_parameter' ? this.t.kids(param.node) : [param];
        // NestJS-style parameter decorators (`@Query('id') id`) make request parameters
        const annotations = parts.filter((p) => p.kind === 'decorator').map((d) => {
          const inner = this.t.kids(d.node)[0];
          const callee = inner?.kind === 'call_expression' ? this.t.kids(inner.node)[0] : inner;
          return callee ? this.text(callee.node) : '';
        });
        const target = parts.find((p) => p.kind !== 'decorator' && p.kind !== 'accessibility_modifier' && p.kind !== 'override_modifier' && p.kind !== 'readonly');
        const inner = target?.kind === 'assignment_pattern' ? this.t.kids(target.node)[0] : target;
        if (!inner) continue;
        if (inner.kind === 'identifier') fn.params.push({ name: this.text(inner.node), at: inner.node, ...(annotations.length ? { annotations } : {}) });
        else if (inner.kind === 'rest_pattern') fn.params.push({ name: this.text(this.t.kids(inner.node)[0]?.node ?? inner.node), rest: true });
        else {
          // destructured parameter: bind its names from a synthetic parameter
          const synthetic = `$param${fn.params.length}`;
          fn.params.push({ name: synthetic });
          fn.body.push(...this.bindPattern(inner.node, inner.kind, { k: 'var', name: synthetic, at: inner.node }, inner.node));
        }
      }
    } else if (kind === 'arrow_function' && kids[0]?.kind === 'identifier') {
      fn.params.push({ name: this.text(kids[0].node) });
    }
    const body = kids[kids.length - 1];
    if (body && body !== params && body !== nameNode) {
      if (body.kind === 'statement_block') fn.body.push(...this.block(body.node));
      else if (kind === 'arrow_function') fn.body.push({ k: 'return', value: this.expr(body.node, body.kind), at: body.node });
    }
    this.functions.push(fn);
    return fn;
  }

  cls(node: SgNode): void {
    const kids = this.t.kids(node);
    const nameNode = kids.find((c) => c.kind === 'identifier' || c.kind === 'type_identifier');
    const name = nameNode ? this.text(nameNode.node) : '<class>';
    this.module_.classes.push({ name, fieldTypes: {} });
    const outer = this.#className;
    this.#className = name;
    const body = kids.find((c) => c.kind === 'class_body');
    const fieldInits: Stmt[] = [];
    for (const member of body ? this.t.kids(body.node) : []) {
      if (member.kind === 'method_definition') this.fn(member.node, member.kind);
      else if (member.kind === 'field_definition' || member.kind === 'public_field_definition') {
        const [key, ...rest] = this.t.kids(member.node).filter((c) => c.kind !== 'decorator' && c.kind !== 'accessibility_modifier' && c.kind !== 'type_annotation');
        const value = rest[rest.length - 1];
        if (key && value) fieldInits.push({ k: 'assign', target: { k: 'field', obj: { k: 'var', name: 'this', at: member.node }, key: this.text(key.node) }, value: this.expr(value.node, value.kind), at: member.node });
      }
    }
    if (fieldInits.length) {
      const init = newFunction('<fields>', node, name);
      init.body = fieldInits;
      this.functions.push(init);
    }
    this.#className = outer;
  }

  importStatement(node: SgNode): void {
    const kids = this.t.kids(node);
    const source = kids.find((c) => c.kind === 'string');
    if (!source) return;
    const from = unquote(this.text(source.node)).replace(/^node:/, '');
    const clause = kids.find((c) => c.kind === 'import_clause');
    for (const part of clause ? this.t.kids(clause.node) : []) {
      if (part.kind === 'identifier') this.module_.imports[this.text(part.node)] = from;
      else if (part.kind === 'namespace_import') {
        const local = this.t.kids(part.node)[0];
        if (local) this.module_.imports[this.text(local.node)] = from;
      } else if (part.kind === 'named_imports') {
        for (const spec of this.t.kids(part.node)) {
          const names = this.t.kids(spec.node).map((c) => this.text(c.node));
          if (names[0]) this.module_.imports[names[1] ?? names[0]] = `${from}.${names[0]}`;
        }
      }
    }
  }

  /** `const cp = require('child_process')` and `const { exec } = require('child_process')`. */
  noteRequire(name: { node: SgNode; kind: string }, value: { node: SgNode; kind: string }): void {
    // `const run = exec` and `const run = promisify(exec)` call the same sink under another name
    if (name.kind === 'identifier' && (value.kind === 'identifier' || value.kind === 'member_expression')) {
      const alias = this.resolveAlias(this.text(value.node)) ?? this.requiredMember(value);
      if (alias) this.module_.imports[this.text(name.node)] = alias;
      return;
    }
    if (value.kind !== 'call_expression') return;
    const [callee, args] = this.t.kids(value.node);
    if (name.kind === 'identifier' && callee && args && /^(util\.)?promisify$/.test(this.text(callee.node))) {
      const [wrapped] = this.t.kids(args.node);
      const alias = wrapped ? this.resolveAlias(this.text(wrapped.node)) : undefined;
      if (alias) this.module_.imports[this.text(name.node)] = alias;
      return;
    }
    const from = this.requiredModule(value.node);
    if (from === undefined) return;
    if (name.kind === 'identifier') this.module_.imports[this.text(name.node)] = from;
    else if (name.kind === 'object_pattern') {
      for (const prop of this.t.kids(name.node)) {
        if (prop.kind === 'shorthand_property_identifier_pattern') this.module_.imports[this.text(prop.node)] = `${from}.${this.text(prop.node)}`;
        else if (prop.kind === 'pair_pattern') {
          const [key, local] = this.t.kids(prop.node);
          if (key && local) this.module_.imports[this.text(local.node)] = `${from}.${this.text(key.node)}`;
        }
      }
    }
  }

  /** `x` of `require('x')` (without `node:`), if the call is one. */
  requiredModule(call: SgNode): string | undefined {
    const [callee, args] = this.t.kids(call);
    if (!callee || callee.kind !== 'identifier' || this.text(callee.node) !== 'require' || !args) return undefined;
    const [source] = this.t.kids(args.node);
    return source?.kind === 'string' ? unquote(this.text(source.node)).replace(/^node:/, '') : undefined;
  }

  /** `fs.promises` for `require('fs').promises`. */
  requiredMember(value: { node: SgNode; kind: string }): string | undefined {
    if (value.kind !== 'member_expression') return undefined;
    const [object, property] = this.t.kids(value.node);
    const from = object?.kind === 'call_expression' ? this.requiredModule(object.node) : undefined;
    return from !== undefined && property ? `${from}.${this.text(property.node)}` : undefined;
  }

  /** The import a dotted name stands for (`exec` -> `child_process.exec`), if its root is imported. */
  resolveAlias(path: string): string | undefined {
    const dot = path.indexOf('.');
    const root = dot < 0 ? path : path.slice(0, dot);
    const resolved = this.module_.imports[root];
    return resolved === undefined ? undefined : resolved + (dot < 0 ? '' : path.slice(dot));
  }

  // ---- expressions ------------------------------------------------------------------------

  expr(node: SgNode, kind: string): Expr {
    switch (kind) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return kind === 'identifier' && this.text(node) === 'undefined' ? { k: 'lit', value: null, at: node } : { k: 'var', name: this.text(node), at: node };
      case 'this':
        return { k: 'var', name: 'this', at: node };
      case 'string':
        return { k: 'lit', value: unquote(this.text(node)), at: node };
      case 'number':
        return { k: 'lit', value: Number(this.text(node).replace(/_/g, '')), at: node };
      case 'true':
      case 'false':
        return { k: 'lit', value: kind === 'true', at: node };
      case 'null':
      case 'undefined':
        return { k: 'lit', value: null, at: node };
      case 'regex':
        return { k: 'lit', value: this.text(node), at: node };
      case 'template_string': {
        const parts: Expr[] = [];
        for (const child of this.t.kids(node)) {
          if (child.kind === 'template_substitution') {
            const [inner] = this.t.kids(child.node);
            if (inner) parts.push(this.expr(inner.node, inner.kind));
          } else if (child.kind === 'string_fragment') parts.push({ k: 'lit', value: this.text(child.node) });
        }
        return { k: 'concat', parts, at: node };
      }
      case 'member_expression': {
        const kids = this.t.kids(node);
        const obj = kids[0];
        const prop = kids[kids.length - 1];
        if (!obj || !prop) return opaque([], node);
        return { k: 'get', obj: this.expr(obj.node, obj.kind), key: this.text(prop.node), at: node };
      }
      case 'subscript_expression': {
        const kids = this.t.kids(node).filter((c) => c.kind !== 'optional_chain');
        const obj = kids[0];
        const index = kids[1];
        if (!obj || !index) return opaque([], node);
        const key = this.propertyKey(index.node, index.kind);
        return { k: 'get', obj: this.expr(obj.node, obj.kind), key, ...(key === null ? { keyExpr: this.expr(index.node, index.kind) } : {}), at: node };
      }
      case 'call_expression':
        return this.call(node, false);
      case 'new_expression':
        return this.call(node, true);
      case 'binary_expression': {
        const kids = this.t.kids(node);
        const op = this.t.token(node, BINARY_OPS) ?? '?';
        const [left, right] = kids;
        if (!left || !right) return opaque([], node);
        return { k: 'bin', op, left: this.expr(left.node, left.kind), right: this.expr(right.node, right.kind), at: node };
      }
      case 'unary_expression': {
        const [arg] = this.t.kids(node);
        return { k: 'unary', op: this.t.token(node, UNARY_OPS) ?? '?', arg: arg ? this.expr(arg.node, arg.kind) : opaque([]), at: node };
      }
      case 'update_expression':
        return { k: 'lit', value: 0, at: node };
      case 'ternary_expression': {
        const [test, then, otherwise] = this.t.kids(node);
        if (!test || !then || !otherwise) return opaque([], node);
        return { k: 'cond', test: this.expr(test.node, test.kind), then: this.expr(then.node, then.kind), else: this.expr(otherwise.node, otherwise.kind), at: node };
      }
      case 'object': {
        const entries: Array<{ key: string | null; value: Expr }> = [];
        for (const entry of this.t.kids(node)) {
          if (entry.kind === 'pair') {
            const [key, value] = this.t.kids(entry.node);
            if (key && value) entries.push({ key: this.propertyKey(key.node, key.kind), value: this.expr(value.node, value.kind) });
          } else if (entry.kind === 'shorthand_property_identifier') {
            entries.push({ key: this.text(entry.node), value: { k: 'var', name: this.text(entry.node), at: entry.node } });
          } else if (entry.kind === 'spread_element') {
            const [inner] = this.t.kids(entry.node);
            if (inner) entries.push({ key: null, value: this.expr(inner.node, inner.kind) });
          } else if (entry.kind === 'method_definition') this.fn(entry.node, entry.kind);
        }
        return { k: 'object', entries, at: node };
      }
      case 'array':
        return { k: 'array', items: this.t.kids(node).map((c) => this.expr(c.node, c.kind)), at: node };
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function':
        return { k: 'fn', fn: this.fn(node, kind) };
      case 'class':
        this.cls(node);
        return opaque([], node);
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        // an assignment used as a value: lower it as a statement of its own function is not possible
        // here, so keep the assigned value (the common `x = y = v` reads as v)
        const all = this.t.all(node);
        const right = all[all.length - 1];
        return right ? this.expr(right.node, right.kind) : opaque([], node);
      }
      case 'spread_element':
      case 'sequence_expression':
      case 'yield_expression': {
        const kids = this.t.kids(node);
        const last = kids[kids.length - 1];
        return last ? this.expr(last.node, last.kind) : opaque([], node);
      }
      default:
        if (TS_WRAPPERS.has(kind)) {
          const [inner] = this.t.kids(node);
          return inner ? this.expr(inner.node, inner.kind) : opaque([], node);
        }
        return opaque(this.t.kids(node).filter((c) => !c.kind.startsWith('type')).map((c) => this.expr(c.node, c.kind)), node);
    }
  }

  call(node: SgNode, isNew: boolean): Expr {
    const kids = this.t.kids(node);
    const callee = kids[0];
    const argsNode = kids.find((c) => c.kind === 'arguments' || c.kind === 'template_string');
    if (!callee) return opaque([], node);
    const args = argsNode ? (argsNode.kind === 'template_string' ? [this.expr(argsNode.node, argsNode.kind)] : this.t.kids(argsNode.node).map((c) => this.expr(c.node, c.kind))) : [];
    let calleeNode = callee;
    while (calleeNode.kind === 'parenthesized_expression' || calleeNode.kind === 'non_null_expression') {
      const inner = this.t.kids(calleeNode.node)[0];
      if (!inner) break;
      calleeNode = inner;
    }
    const calleeExpr = this.expr(calleeNode.node, calleeNode.kind);
    if (calleeExpr.k === 'var') return { k: 'call', name: calleeExpr.name, path: calleeExpr.name, args, at: node, ...(isNew ? { isNew } : {}) };
    if (calleeExpr.k === 'get' && calleeExpr.key !== null) {
      return { k: 'call', name: calleeExpr.key, receiver: calleeExpr.obj, ...pathOf(calleeExpr), args, at: node, ...(isNew ? { isNew } : {}) };
    }
    if (calleeExpr.k === 'fn') return { k: 'call', name: calleeExpr.fn.name, args, at: node };
    return { k: 'call', name: '<dynamic>', receiver: calleeExpr, args, at: node };
  }
}

/** The dotted path of a chain of names (`a.b.c`), if the expression is one. */
export function dottedPath(expr: Expr): string | undefined {
  if (expr.k === 'var') return expr.name;
  if (expr.k === 'get' && expr.key !== null) {
    const base = dottedPath(expr.obj);
    return base === undefined ? undefined : `${base}.${expr.key}`;
  }
  return undefined;
}

function pathOf(expr: Expr): { path?: string } {
  const path = dottedPath(expr);
  return path === undefined ? {} : { path };
}
