import { SPECIALIZATION_CATEGORIES, type SpecializationCategoryId } from '#protocol/personas.ts';

/**
 * Keywords of each specialization category (docs/team.md prints this table). A keyword is one or
 * more words matched against whole words of the description, case-insensitively; a trailing `*`
 * matches any word that starts with it (`vulnerab*`: vulnerable, vulnerability). Text is split on
 * anything that is not a letter or digit, so "event-driven" is the two words "event driven".
 */
export const CATEGORY_KEYWORDS: Readonly<Record<SpecializationCategoryId, readonly string[]>> = {
  security: ['secur*', 'vulnerab*', 'owasp', 'xss', 'csrf', 'injection*', 'authentication', 'authorization', 'oauth', 'jwt', 'encrypt*', 'crypto*', 'threat*', 'exploit*', 'secret*', 'pentest*', 'cve', 'sanitiz*'],
  performance: ['performan*', 'latenc*', 'throughput', 'optimi*', 'profil*', 'cach*', 'memory', 'cpu', 'benchmark*', 'slow*', 'bottleneck*', 'scalab*', 'load test*'],
  architecture: ['architect*', 'microservice*', 'monolith*', 'modular*', 'coupling', 'cohesion', 'domain driven', 'ddd', 'layer*', 'boundar*', 'event driven', 'design pattern*', 'system design', 'trade off*'],
  testing: ['test*', 'unit', 'qa', 'coverage', 'tdd', 'mock*', 'e2e', 'regression*', 'fixture*', 'assert*', 'flaky'],
  refactoring: ['refactor*', 'clean code', 'code smell*', 'duplicat*', 'readab*', 'maintainab*', 'legacy', 'technical debt', 'simplif*', 'naming', 'dead code'],
  compliance: ['complian*', 'gdpr', 'dsgvo', 'iso 27001', 'privacy', 'audit*', 'regulat*', 'hipaa', 'soc 2', 'pci', 'polic*', 'retention', 'consent', 'personal data', 'isms'],
  accessibility: ['accessib*', 'a11y', 'wcag', 'aria', 'screen reader*', 'keyboard', 'contrast', 'inclusive', 'disabilit*'],
  devops: ['devops', 'sre', 'ci', 'cd', 'pipeline*', 'deploy*', 'docker*', 'kubernetes', 'k8s', 'terraform', 'infrastructure', 'helm', 'incident*', 'on call', 'reliability', 'release*'],
  observability: ['observab*', 'monitor*', 'logging', 'logs', 'metric*', 'tracing', 'traces', 'alert*', 'dashboard*', 'telemetry', 'opentelemetry', 'prometheus', 'grafana', 'slo', 'slos', 'sli'],
  frontend: ['frontend', 'front end', 'ui', 'ux', 'css', 'html', 'react', 'vue', 'angular', 'svelte', 'browser*', 'component*', 'responsive', 'webview*'],
  backend: ['backend', 'back end', 'api', 'apis', 'rest', 'graphql', 'grpc', 'server*', 'endpoint*', 'http', 'koa', 'express', 'nodejs', 'middleware'],
  data: ['database*', 'sql', 'postgres*', 'schema*', 'migration*', 'query', 'queries', 'etl', 'data', 'warehouse', 'orm', 'mongodb', 'redis', 'pgvector'],
  'ai-ml': ['ai', 'ml', 'machine learning', 'llm*', 'prompt*', 'embedding*', 'neural', 'rag', 'training', 'inference', 'nlp', 'agent*'],
  mobile: ['mobile', 'ios', 'android', 'swift', 'kotlin', 'flutter', 'react native', 'app store', 'tablet*', 'smartphone*'],
  documentation: ['document*', 'docs', 'readme*', 'tutorial*', 'guide*', 'technical writ*', 'changelog*', 'onboarding', 'explain*'],
};

/** How many categories auto-specialization keeps. */
export const AUTO_SPECIALIZATIONS = 3;

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordMatches(word: string, pattern: string): boolean {
  return pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}

/** Occurrences of one keyword (a word or a phrase of consecutive words) in the word list. */
function occurrences(text: readonly string[], keyword: string): number {
  const parts = keyword.split(' ');
  let count = 0;
  for (let i = 0; i + parts.length <= text.length; i++) {
    if (parts.every((part, j) => wordMatches(text[i + j]!, part))) count++;
  }
  return count;
}

/** Matches per category, in the documented category order. */
export function categoryMatches(description: string): { id: SpecializationCategoryId; matches: number }[] {
  const text = words(description);
  return SPECIALIZATION_CATEGORIES.map(({ id }) => ({
    id,
    matches: CATEGORY_KEYWORDS[id].reduce((sum, keyword) => sum + occurrences(text, keyword), 0),
  }));
}

/**
 * The top 3 categories by keyword matches (at least one match each). A tie goes to the category
 * listed first in SPECIALIZATION_CATEGORIES, so the result never depends on anything but the text.
 */
export function deriveSpecializations(description: string): SpecializationCategoryId[] {
  return categoryMatches(description)
    .map((entry, order) => ({ ...entry, order }))
    .filter((entry) => entry.matches > 0)
    .sort((a, b) => b.matches - a.matches || a.order - b.order)
    .slice(0, AUTO_SPECIALIZATIONS)
    .map((entry) => entry.id);
}

/** Explicit specializations win; empty or missing ones are derived from the description. */
export function resolveSpecializations(
  explicit: readonly SpecializationCategoryId[] | undefined,
  description: string,
): { specializations: SpecializationCategoryId[]; source: 'auto' | 'explicit' } {
  if (explicit && explicit.length > 0) return { specializations: [...new Set(explicit)], source: 'explicit' };
  return { specializations: deriveSpecializations(description), source: 'auto' };
}
