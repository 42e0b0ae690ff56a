import type { RuleInfo } from '#protocol/findings.ts';
import { ANALYZER_VERSION } from './analyzers/analyze-file.ts';
import { ruleById, rules } from './analyzers/rule-catalog.ts';

/** The AI review's categories; its findings are reported as `nyx/ai/<category>`. */
export const AI_CATEGORIES = ['bug', 'security', 'performance', 'maintainability', 'readability'] as const;
export type AiCategory = (typeof AI_CATEGORIES)[number];

const aiRules: RuleInfo[] = AI_CATEGORIES.map((category) => ({
  id: `nyx/ai/${category}`,
  title: `AI review: ${category}`,
  severity: category === 'bug' || category === 'security' ? 'warning' : 'info',
  languages: ['*'],
  fixable: true,
  docs:
    `Reported by the AI review (a persona reading files changed since the last analysis), category **${category}**. ` +
    'The model chose the range and the message; a suggested edit, when given, replaces the whole lines of the range. Review it before applying: it is a proposal, not a deterministic fix. ' +
    'Runs only when the team configured an AI provider; each call is recorded with its cost.',
}));

/** Every rule a finding can carry: the built-in catalog plus the AI review's categories. */
export const allRules: readonly RuleInfo[] = [...rules, ...aiRules];
const allById = new Map(allRules.map((rule) => [rule.id, rule]));

export function findRule(ruleId: string): RuleInfo | undefined {
  return ruleById.get(ruleId) ?? allById.get(ruleId);
}

export function ruleTitle(ruleId: string): string {
  return findRule(ruleId)?.title ?? ruleId;
}

/** Where a diagnostic's code links to: the rule's docs on this server. */
export function ruleDocsPath(ruleId: string): string {
  return `/api/v1/analysis/rules/${encodeURIComponent(ruleId)}`;
}

export function ruleCatalog() {
  return { analyzerVersion: ANALYZER_VERSION, items: allRules.map((rule) => ({ ...rule, docsUrl: ruleDocsPath(rule.id) })) };
}
