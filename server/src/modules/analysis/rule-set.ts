import { createHash } from 'node:crypto';
import { ValidationError } from '#server/errors.ts';
import { rules } from './analyzers/rule-catalog.ts';

/** The built-in rules an analysis runs, and the key that names that choice in the cache. */
export interface RuleSet {
  ids: ReadonlySet<string>;
  /** 'all', or the sha256 of the sorted rule ids. */
  key: string;
  /** Whether a finding of this rule is this analysis' business (it may open or fix it). */
  covers(ruleId: string): boolean;
}

/** Selectors are rule ids or prefixes ("nyx/secrets/"); each must match at least one rule. */
export function selectRules(selectors: readonly string[] | undefined): RuleSet {
  if (!selectors) {
    const ids = new Set(rules.map((rule) => rule.id));
    return { ids, key: 'all', covers: (ruleId) => ids.has(ruleId) };
  }
  const ids = new Set<string>();
  selectors.forEach((selector, index) => {
    const matched = rules.filter((rule) => rule.id === selector || (selector.endsWith('/') && rule.id.startsWith(selector)));
    if (matched.length === 0) throw new ValidationError(`rules.${index}: "${selector}" matches no rule (GET /api/v1/analysis/rules lists them)`, `rules.${index}`);
    for (const rule of matched) ids.add(rule.id);
  });
  const sorted = [...ids].sort();
  const key = sorted.length === rules.length ? 'all' : createHash('sha256').update(sorted.join('\n')).digest('hex');
  return { ids, key, covers: (ruleId) => ids.has(ruleId) };
}
