import assert from 'node:assert/strict';
import { SPECIALIZATION_CATEGORIES } from '#protocol/personas.ts';
import { CATEGORY_KEYWORDS, categoryMatches, deriveSpecializations, resolveSpecializations } from '#server/modules/personas/specializations.ts';

describe('team: auto-specialization', () => {
  const table: [string, string[]][] = [
    ['Finds SQL injection and XSS vulnerabilities, reviews authentication and secrets handling.', ['security', 'data']],
    ['Profiles slow endpoints, reduces latency and memory use, adds caching after benchmarks.', ['performance', 'backend']],
    ['Checks GDPR / DSGVO consent, retention of personal data and ISO 27001 controls.', ['compliance', 'data']],
    ['Reviews WCAG contrast, ARIA roles and keyboard navigation of React components.', ['accessibility', 'frontend']],
    ['Writes unit tests and integration tests, hunts flaky tests, raises coverage.', ['testing']],
    ['Runs Kubernetes deployments, CI pipelines, Terraform infrastructure, and on call incident response with Prometheus alerting.', ['devops', 'observability']],
    ['Designs the architecture of microservices: module boundaries, coupling, event-driven messaging.', ['architecture']],
    ['Builds LLM agents with RAG over embeddings and prompt evaluation.', ['ai-ml']],
    ['Ships iOS and Android apps in Flutter.', ['mobile']],
    ['Writes READMEs, tutorials and API docs for onboarding.', ['documentation', 'backend']],
    ['Likes long walks and good coffee.', []],
  ];
  for (const [description, expected] of table) {
    it(`"${description.slice(0, 50)}..." -> ${expected.join(', ') || '(none)'}`, () => {
      assert.deepEqual(deriveSpecializations(description), expected);
    });
  }

  it('keeps the top 3 by match count, ties going to the earlier category', () => {
    // security 3 (secure, vulnerability, threat), testing 1, performance 1, frontend 1, mobile 1
    const description = 'Secure code, vulnerability and threat review; some test, cache, css and ios work.';
    assert.deepEqual(deriveSpecializations(description), ['security', 'performance', 'testing']);
    assert.equal(categoryMatches(description).find((c) => c.id === 'security')!.matches, 3);
  });

  it('never overrides explicit specializations', () => {
    assert.deepEqual(resolveSpecializations(['mobile'], 'SQL injection XSS secrets'), { specializations: ['mobile'], source: 'explicit' });
    assert.deepEqual(resolveSpecializations([], 'SQL injection XSS secrets').source, 'auto');
    assert.deepEqual(resolveSpecializations(undefined, 'SQL injection XSS secrets').specializations[0], 'security');
  });

  it('documents exactly 15 categories, each with keywords', () => {
    assert.equal(SPECIALIZATION_CATEGORIES.length, 15);
    for (const category of SPECIALIZATION_CATEGORIES) assert.ok(CATEGORY_KEYWORDS[category.id].length >= 5, category.id);
  });
});
