import type { SgNode } from '@ast-grep/napi';
import type { Expr, IrFunction } from './ir.ts';

/**
 * Helpers shared by the lowerings. They exist to keep native calls down: `kids` caches a node's
 * children and drops punctuation/keyword tokens, so each node costs one `children()` plus one
 * `kind()` per child.
 */

/** Anonymous tokens: punctuation always starts with a non-letter; keywords are listed. */
const KEYWORDS = new Set([
  'const', 'let', 'var', 'function', 'return', 'if', 'else', 'new', 'await', 'async', 'typeof', 'void', 'delete',
  'in', 'of', 'instanceof', 'for', 'while', 'do', 'try', 'catch', 'finally', 'throw', 'switch', 'case', 'default',
  'break', 'continue', 'class', 'extends', 'static', 'yield', 'import', 'export', 'from', 'as', 'def', 'lambda',
  'not', 'and', 'or', 'is', 'elif', 'except', 'raise', 'with', 'pass', 'global', 'nonlocal', 'assert', 'del',
  'func', 'go', 'defer', 'range', 'package', 'struct', 'interface', 'map', 'chan', 'select', 'fallthrough',
  'public', 'private', 'protected', 'final', 'abstract', 'throws', 'implements', 'get', 'set',
  'readonly', 'declare', 'keyof', 'satisfies', 'print', 'exec', 'match',
]);

export class Tree {
  readonly #kids = new Map<SgNode, Array<{ node: SgNode; kind: string }>>();
  readonly #all = new Map<SgNode, Array<{ node: SgNode; kind: string }>>();

  /** All children with their kinds, including tokens (for operators). */
  all(node: SgNode): Array<{ node: SgNode; kind: string }> {
    let list = this.#all.get(node);
    if (!list) this.#all.set(node, (list = node.children().map((child) => ({ node: child, kind: String(child.kind()) }))));
    return list;
  }

  /** Named children only (tokens dropped), with their kinds. */
  kids(node: SgNode): Array<{ node: SgNode; kind: string }> {
    let list = this.#kids.get(node);
    if (!list) this.#kids.set(node, (list = this.all(node).filter((child) => isNamedKind(child.kind))));
    return list;
  }

  /** The first token child whose kind is in `tokens` (an operator), or undefined. */
  token(node: SgNode, tokens: ReadonlySet<string>): string | undefined {
    return this.all(node).find((child) => tokens.has(child.kind))?.kind;
  }
}

export function isNamedKind(kind: string): boolean {
  const first = kind.charCodeAt(0);
  const letter = (first >= 97 && first <= 122) || (first >= 65 && first <= 90) || first === 95;
  return letter && !KEYWORDS.has(kind) && !kind.includes(' ');
}

/** Unquotes a simple string literal's text; undefined when it has escapes we do not decode. */
export function unquote(text: string): string {
  let body = text;
  const prefix = /^[rbufRBUF]{0,2}/.exec(body)?.[0] ?? '';
  body = body.slice(prefix.length);
  for (const quote of ['"""', "'''", '"', "'", '`']) {
    if (body.startsWith(quote) && body.endsWith(quote) && body.length >= quote.length * 2) return body.slice(quote.length, body.length - quote.length);
  }
  return body;
}

export function opaque(parts: Expr[], at?: SgNode): Expr {
  return { k: 'opaque', parts, ...(at ? { at } : {}) };
}

export function newFunction(name: string, at: SgNode, className?: string): IrFunction {
  return { name, params: [], body: [], types: {}, at, ...(className ? { className } : {}) };
}
