import type { SgNode } from '@ast-grep/napi';
import type { NodeIndex } from './node-index.ts';

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

// Sticky, so it is tested right at the block's opening brace.
const EMPTY_BLOCK = /\{\s*\}/y;

/**
 * A `{ }` block with nothing inside, comments included (a comment explains why ignoring is fine).
 * Read from the source text at the block's start: tree-sitter can attach a comment that follows
 * the closing brace to the block, and the text test costs one native call instead of a walk over
 * the block's children.
 */
export function isEmptyBlock(block: SgNode | null, text: string): boolean {
  if (!block) return false;
  EMPTY_BLOCK.lastIndex = block.range().start.index;
  return EMPTY_BLOCK.test(text);
}

// Sticky: tested at a declaration's own offset, so only its leading modifiers are read.
const ASYNC_DECLARATION = /(?:(?:public|private|protected|static|override)\s+)*async\s/y;

/** The async functions and methods declared in a file, from the shared walk, with their names. */
export function asyncDeclarations(index: NodeIndex, text: string, declarationKinds: readonly string[]): { node: SgNode; name: string }[] {
  const declarations: { node: SgNode; name: string }[] = [];
  for (const kind of declarationKinds) {
    for (const { node, start } of index.of(kind)) {
      ASYNC_DECLARATION.lastIndex = start;
      if (!ASYNC_DECLARATION.test(text)) continue;
      const name = node.field('name');
      if (name) declarations.push({ node, name: name.text() });
    }
  }
  return declarations;
}
