import { parsePolicyRuleId } from '#protocol/policies.ts';
import type { PoliciesNode } from './policies-tree.ts';

/**
 * What the clause commands accept: a clause id, a citation (`{documentKey, number}` or the rule
 * id `nyx/policy/<key>/<number>` of a gap finding), or a node of the Policies view.
 */
export type ClauseTarget = string | { clauseId: string; title?: string } | { documentKey: string; number: string } | PoliciesNode;

export type ResolvedClauseTarget = { clauseId: string; title?: string } | { documentKey: string; number: string };

export function resolveClauseTarget(target: ClauseTarget): ResolvedClauseTarget | undefined {
  if (typeof target === 'string') return parsePolicyRuleId(target) ?? { clauseId: target };
  if ('clauseId' in target) return target.title ? { clauseId: target.clauseId, title: target.title } : { clauseId: target.clauseId };
  if ('documentKey' in target) return { documentKey: target.documentKey, number: target.number };
  if (target.kind === 'clause') return { clauseId: target.clause.id, title: target.clause.title };
  return undefined;
}

/** A document id from a view node, an id, or `{ documentId }`. */
export type DocumentTarget = string | { documentId: string } | PoliciesNode;

export function resolveDocumentId(target: DocumentTarget | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (typeof target === 'string') return target;
  if ('documentId' in target) return target.documentId;
  if (target.kind === 'document' || target.kind === 'version') return target.document.id;
  return target.clause.documentId;
}
