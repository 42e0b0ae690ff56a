import assert from 'node:assert/strict';
import type { PolicyDocument, PolicyDocumentSummary } from '#protocol/policies.ts';
import { allRules } from '#server/modules/analysis/rule-docs.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx } from '../helpers/nyx.ts';

/** The starter set as the server splits it: what each installed clause declares. */
async function installedStarterClauses() {
  const nyx = await sharedNyx();
  const team = await createTestTenant(nyx, 'starter-coverage');
  const installed = await api(nyx.url, 'POST', '/api/v1/policies/starter', { token: team.token });
  assert.ok(installed.status < 300, `install answered ${installed.status}`);
  const list = (await api<{ items: PolicyDocumentSummary[] }>(nyx.url, 'GET', '/api/v1/policies', { token: team.token })).body.items;
  const documents: PolicyDocument[] = [];
  for (const summary of list) documents.push((await api<PolicyDocument>(nyx.url, 'GET', `/api/v1/policies/${summary.id}`, { token: team.token })).body);
  return documents;
}

describe('starter policies: content the review and the search rely on', () => {
  let documents: PolicyDocument[];
  before(async () => {
    documents = await installedStarterClauses();
  });

  it('installs the five policies, each with 10-20 numbered clauses', () => {
    assert.deepEqual(documents.map((d) => d.key).sort(), ['access-control', 'logging-monitoring', 'personal-data', 'secrets-keys', 'secure-coding']);
    for (const document of documents) {
      assert.ok(document.clauses.length >= 10 && document.clauses.length <= 20, `${document.key}: ${document.clauses.length} clauses`);
      const numbers = document.clauses.map((c) => c.number);
      assert.deepEqual(numbers, numbers.map((_, i) => String(i + 1)), `${document.key} numbers its clauses 1..n`);
    }
  });

  it('every clause names the external controls it supports (GDPR articles, ISO 27001:2022 Annex A)', () => {
    for (const clause of documents.flatMap((d) => d.clauses)) {
      assert.ok(clause.controls.length > 0, `${clause.documentKey}/${clause.number} names no control`);
      for (const control of clause.controls) assert.match(control, /^(GDPR Art\. \d+|ISO 27001:2022 A\.[5-8]\.\d+)/, `${clause.documentKey}/${clause.number}: ${control}`);
    }
  });

  it('secure coding covers every CWE the analyzers report, so every finding maps to a clause without a model', () => {
    const secureCoding = documents.find((d) => d.key === 'secure-coding')!;
    const covered = new Set(secureCoding.clauses.flatMap((c) => c.cwes));
    const reported = new Set(allRules.flatMap((rule) => rule.cwe ?? []));
    assert.ok(reported.size > 20, `the analyzers report ${reported.size} CWEs`);
    const uncovered = [...reported].filter((cwe) => !covered.has(cwe));
    assert.deepEqual(uncovered, [], `CWEs the analyzers report that no secure-coding clause covers: ${uncovered.join(', ')}`);
  });

  it('the personal data policy ties its clauses to the GDPR principles the issue names', () => {
    const personal = documents.find((d) => d.key === 'personal-data')!;
    const controls = new Set(personal.clauses.flatMap((c) => c.controls));
    for (const article of ['GDPR Art. 5', 'GDPR Art. 25', 'GDPR Art. 32']) assert.ok(controls.has(article), `no clause supports ${article}`);
  });
});
