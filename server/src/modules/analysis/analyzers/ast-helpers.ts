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

/**
 * A `{ }` block with nothing inside, comments included (a comment explains why ignoring is fine).
 * tree-sitter can attach a comment that follows the closing brace to the block, so only what
 * comes before the `}` token counts.
 */
export function isEmptyBlock(block: SgNode | null): boolean {
  if (!block) return false;
  for (const child of block.children()) {
    if (!child.isNamed() && child.text() === '}') return true;
    if (child.isNamed()) return false;
  }
  return false;
}

const ASYNC_DECLARATION = '^(?:(?:public|private|protected|static|override)\\s+)*async\\s';

export function asyncFunctionNames(root: SgNode, declarationKinds: readonly string[]): Set<string> {
  const names = new Set<string>();
  const declarations = root.findAll({ rule: { any: declarationKinds.map((kind) => ({ kind })), regex: ASYNC_DECLARATION } });
  for (const declaration of declarations) {
    const name = declaration.field('name');
    if (name) names.add(name.text());
  }
  return names;
}
