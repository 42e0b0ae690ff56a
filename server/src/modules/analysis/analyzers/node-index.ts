import type { SgNode } from '@ast-grep/napi';

/**
 * A node kind that rules read from the shared walk. `where` narrows it with ast-grep rule keys
 * (`has`, `inside`, `regex`), e.g. only the `binary_expression`s whose operator is `&&`.
 */
export interface IndexedKind {
  kind: string;
  where?: Record<string, unknown>;
  /** Collected only when the text contains this word: the rule reading it is gated on it too. */
  when?: string;
}

export interface IndexedNode {
  node: SgNode;
  /** UTF-16 offsets into the source text, as JavaScript strings count them. */
  start: number;
  end: number;
  /** 0-based, from the same native call as the offsets. */
  startLine: number;
  endLine: number;
}

/**
 * Merges what the metrics and the rules of a language read into one `any` rule. A kind may appear
 * with at most one `where`: the index groups by kind, so two filters on one kind would mix.
 */
export function combineKinds(kinds: readonly IndexedKind[]): Record<string, unknown> {
  const byKind = new Map<string, IndexedKind>();
  for (const entry of kinds) {
    const known = byKind.get(entry.kind);
    if (known && JSON.stringify(known.where) !== JSON.stringify(entry.where)) {
      throw new Error(`node kind ${entry.kind} is indexed with two different filters`);
    }
    byKind.set(entry.kind, entry);
  }
  // `all` checks the kind first: written as one object, ast-grep may test `inside`/`has` on every node.
  return { any: [...byKind.values()].map(({ kind, where }) => (where ? { all: [{ kind }, where] } : { kind })) };
}

/**
 * The walk's rule for one file: only the kinds whose trigger word occurs in it. Each returned
 * node costs a few microseconds of native calls, so kinds no rule will read are left out; the
 * rules are cached per combination of triggers, since ast-grep reads a rule object on every call.
 */
export class WalkRules {
  readonly #kinds: readonly IndexedKind[];
  readonly #byTriggers = new Map<string, Record<string, unknown>>();

  constructor(kinds: readonly IndexedKind[]) {
    this.#kinds = kinds;
    combineKinds(kinds); // fail on conflicting filters when the language is set up, not per file
  }

  for(text: string): Record<string, unknown> {
    const key = this.#kinds.map((entry) => (entry.when && !text.includes(entry.when) ? '0' : '1')).join('');
    let rule = this.#byTriggers.get(key);
    if (!rule) this.#byTriggers.set(key, (rule = combineKinds(this.#kinds.filter((_, i) => key[i] === '1'))));
    return rule;
  }
}

/**
 * Every node the analyzers of one file need, from a single native tree walk. On source files of a
 * few KB one ast-grep `findAll` costs a third of the parse, so rules share this walk instead of
 * each running their own; only rules gated by rare words (eval, exec, SQL) still search alone.
 */
export class NodeIndex {
  readonly #byKind = new Map<string, IndexedNode[]>();

  constructor(root: SgNode, combinedRule: Record<string, unknown>) {
    for (const node of root.findAll({ rule: combinedRule })) {
      const kind = String(node.kind());
      const { start, end } = node.range();
      let nodes = this.#byKind.get(kind);
      if (!nodes) this.#byKind.set(kind, (nodes = []));
      nodes.push({ node, start: start.index, end: end.index, startLine: start.line, endLine: end.line });
    }
  }

  /** Nodes of one kind in source order (the walk is pre-order). */
  of(kind: string): readonly IndexedNode[] {
    return this.#byKind.get(kind) ?? [];
  }
}
