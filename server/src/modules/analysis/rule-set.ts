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
  /** Minified and vendored files are analyzed too (see analyzers/generated-files.ts). */
  includeGenerated: boolean;
}

/** Including generated files changes the results, so it changes the cache key (64 hex characters, like rule_set). */
function withGenerated(key: string, includeGenerated: boolean): string {
  return includeGenerated ? createHash('sha256').update(`${key}\0include-generated`).digest('hex') : key;
}

/** Selectors are rule ids or prefixes ("nyx/secrets/"); each must match at least one rule. */
export function selectRules(selectors: readonly string[] | undefined, includeGenerated = false): RuleSet {
  if (!selectors) {
    const ids = new Set(rules.map((rule) => rule.id));
    return { ids, key: withGenerated('all', includeGenerated), covers: (ruleId) => ids.has(ruleId), includeGenerated };
  }
  const ids = new Set<string>();
  selectors.forEach((selector, index) => {
    const matched = rules.filter((rule) => rule.id === selector || (selector.endsWith('/') && rule.id.startsWith(selector)));
    if (matched.length === 0) throw new ValidationError(`rules.${index}: "${selector}" matches no rule (GET /api/v1/analysis/rules lists them)`, `rules.${index}`);
    for (const rule of matched) ids.add(rule.id);
  });
  const sorted = [...ids].sort();
  const key = sorted.length === rules.length ? 'all' : createHash('sha256').update(sorted.join('\n')).digest('hex');
  return { ids, key: withGenerated(key, includeGenerated), covers: (ruleId) => ids.has(ruleId), includeGenerated };
}
