import type { SgNode } from '@ast-grep/napi';
import type { IndexedNode, NodeIndex } from './node-index.ts';
import { enclosing } from './rule-support.ts';

/** How one language spells what `unawaitedAsyncCalls` needs to know. */
export interface AsyncCallSyntax {
  /** Async declarations from the shared walk, with the node that carries the name. */
  declarations(index: NodeIndex, text: string): { node: SgNode; name: string }[];
  /** True when the declaration is a method: it is called through `self.`/`this.`, not by name. */
  isMethod(declaration: SgNode): boolean;
  /** `this.` or `self.`. */
  receiverPrefix: string;
  /** Blocks that bound a name declared in them (`statement_block`, `program`; `block`, `module`). */
  scopeKinds: readonly string[];
  /** Functions whose parameters can shadow an outer name, and the fields that hold them. */
  functionKinds: ReadonlySet<string>;
  parameterFields: readonly string[];
}

/**
 * Statement calls (from the shared walk) to an async function or method of this file whose promise
 * nobody awaits. A bare call `f()` counts only where that `f` is visible, i.e. inside the block
 * that declares it and not under a function whose own parameter is also called `f`: real code
 * reuses names like `listener` and `callback`, and a callback parameter is not the async helper
 * another function happens to declare.
 */
export function unawaitedAsyncCalls(index: NodeIndex, text: string, calls: readonly IndexedNode[], syntax: AsyncCallSyntax): SgNode[] {
  const methods = new Set<string>();
  const functionScopes = new Map<string, { scope: SgNode; start: number; end: number }[]>();
  for (const { node, name } of syntax.declarations(index, text)) {
    if (syntax.isMethod(node)) {
      methods.add(name);
      continue;
    }
    const scope = enclosing(node, syntax.scopeKinds);
    if (!scope) continue;
    const { start, end } = scope.range();
    const scopes = functionScopes.get(name) ?? [];
    scopes.push({ scope, start: start.index, end: end.index });
    functionScopes.set(name, scopes);
  }
  if (methods.size === 0 && functionScopes.size === 0) return [];
  return calls
    .filter(({ node, start, end }) => {
      const callee = node.field('function')!.text();
      if (callee.startsWith(syntax.receiverPrefix)) return methods.has(callee.slice(syntax.receiverPrefix.length));
      const scopes = functionScopes.get(callee)?.filter((scope) => scope.start <= start && end <= scope.end);
      if (!scopes?.length) return false;
      // The innermost declaring block: a parameter between it and the call shadows the function.
      const innermost = scopes.reduce((best, scope) => (scope.start >= best.start ? scope : best));
      return !shadowedByParameter(node, innermost.scope, callee, syntax);
    })
    .map(({ node }) => node);
}

function shadowedByParameter(call: SgNode, scope: SgNode, name: string, syntax: AsyncCallSyntax): boolean {
  const bound = new RegExp(`(?<![\\w$.])${name.replace(/[$]/g, '\\$')}(?![\\w$])`);
  const scopeId = scope.id();
  for (let current = call.parent(); current && current.id() !== scopeId; current = current.parent()) {
    if (!syntax.functionKinds.has(String(current.kind()))) continue;
    for (const field of syntax.parameterFields) {
      const parameters = current.field(field);
      if (parameters && bound.test(parameters.text())) return true;
    }
  }
  return false;
}
