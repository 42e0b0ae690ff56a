import type { SgNode } from '@ast-grep/napi';

/**
 * Calls whose callee text (e.g. `cp.exec`, `subprocess.run`) matches `callee`. The regex runs
 * inside ast-grep, so files without such a call cost one native tree walk.
 */
export function callsTo(root: SgNode, callKind: string, callee: string): SgNode[] {
  return root.findAll({ rule: { kind: callKind, has: { field: 'function', regex: callee } } });
}

export function callArguments(call: SgNode, field = 'arguments'): SgNode[] {
  return call.field(field)?.namedChildren().filter((n) => !String(n.kind()).includes('comment')) ?? [];
}

/** Nodes of `kind` whose named children are all comments or absent. */
export function isEmptyBlock(block: SgNode | null): boolean {
  return !!block && block.namedChildren().length === 0;
}

/** Names of functions declared `async` (the first token of the declaration is `async`). */
export function asyncFunctionNames(root: SgNode, declarationKinds: readonly string[]): Set<string> {
  const names = new Set<string>();
  const declarations = root.findAll({ rule: { any: declarationKinds.map((kind) => ({ kind })), has: { kind: 'async' } } });
  for (const declaration of declarations) {
    const name = declaration.field('name');
    if (name) names.add(name.text());
  }
  return names;
}
