import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import { expectedFindings, findingKey, FIXTURE_LANGUAGES, fixtureFiles } from '../analysis/fixture-repo.ts';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { StoredFinding } from '#protocol/analysis.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

const keyOf = (f: StoredFinding) => findingKey({ ruleId: f.ruleId, path: f.path, startLine: f.range.startLine });

describe('analysis API: fixture repositories uploaded as snapshots', () => {
  let nyx: TestNyx;
  let alice: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'analysis');
  });

  for (const language of FIXTURE_LANGUAGES) {
    it(`${language}: every seeded issue is found at the analyzer's exact range, and clean files have none`, async () => {
      const files = fixtureFiles(language);
      const projectId = await createProject(nyx.url, alice, `fixture-${language}`);
      const { snapshotId, uploaded } = await uploadWorkspace(nyx.url, alice, projectId, files);
      assert.equal(uploaded.length, files.length);
      const { result } = await analyze(nyx.url, alice, projectId, { snapshotId });
      assert.equal(result.files, files.length);
      const stored = await findings(nyx.url, alice, projectId);
      for (const finding of stored) StoredFinding.parse(finding);
      const expected = new Set(expectedFindings(language).map(findingKey));
      const actual = new Set(stored.map(keyOf));
      assert.deepEqual([...expected].filter((key) => !actual.has(key)), [], 'missed findings');
      assert.deepEqual([...actual].filter((key) => !expected.has(key)), [], 'unexpected findings');
      // The API reports exactly what the analyzer library computes: range, fingerprint and fix.
      const direct = files.flatMap((file) => analyzeFile(file));
      for (const finding of direct) {
        const match = stored.find((s) => s.fingerprint === finding.fingerprint);
        assert.ok(match, `${finding.ruleId} at ${finding.path}:${finding.range.startLine} missing`);
        assert.deepEqual(match.range, finding.range);
        assert.deepEqual(match.fix, finding.fix ?? null);
        assert.equal(match.status, 'open');
        assert.equal(match.firstSeenSnapshotId, snapshotId);
      }
      assert.equal(stored.filter((f) => /clean/i.test(f.path)).length, 0, 'clean files must have no findings');
      assert.equal(result.findings, stored.length);
    });
  }

  it('aggregates open findings into code patterns with examples and a 1536-dimension embedding', async () => {
    const projectId = await createProject(nyx.url, alice, 'patterns');
    const files: WorkspaceFile[] = [
      { path: 'a.js', content: 'export function a(x) {\n  return eval(x);\n}\n' },
      { path: 'b.js', content: 'export function b(y) {\n  return eval(y + 1);\n}\n' },
    ];
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, files);
    await analyze(nyx.url, alice, projectId, { snapshotId });
    const response = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/code-patterns`, { token: alice.token });
    assert.equal(response.status, 200);
    const evalPattern = response.body.items.find((p: { ruleId: string }) => p.ruleId === 'nyx/dangerous/dynamic-eval');
    assert.ok(evalPattern, JSON.stringify(response.body));
    assert.equal(evalPattern.count, 2);
    assert.deepEqual(evalPattern.examples.map((e: { path: string; line: number }) => `${e.path}:${e.line}`), ['a.js:2', 'b.js:2']);
    assert.equal(evalPattern.examples[0].snippet, 'return eval(x);');
    const [row] = await nyx.database.orm.em.fork().execute<{ dims: number; embedder: string }[]>(
      `select vector_dims(embedding) as dims, embedder from code_patterns where id = ?`,
      [evalPattern.id],
    );
    assert.deepEqual(row, { dims: 1536, embedder: 'local-hash-v1' });
  });

  it('serves the rule catalog with docs, and one rule by its encoded id (the diagnostic code link)', async () => {
    const catalog = await api(nyx.url, 'GET', '/api/v1/analysis/rules');
    assert.equal(catalog.status, 200);
    const ids = catalog.body.items.map((rule: { id: string }) => rule.id);
    assert.ok(ids.includes('nyx/secrets/github-token') && ids.includes('nyx/ai/bug'));
    const one = await api(nyx.url, 'GET', catalog.body.items[0].docsUrl);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal(one.body.id, catalog.body.items[0].id);
    assert.ok(one.body.docs.length > 20);
    assert.equal((await api(nyx.url, 'GET', '/api/v1/analysis/rules/nyx%2Fnope%2Fnothing')).status, 404);
  });

  it('answers the diagnostic link as VS Code opens it: slashes decoded, a browser gets a readable page', async () => {
    // vscode.Uri decodes %2F, so the link the user clicks carries the rule id with plain slashes.
    const json = await api(nyx.url, 'GET', '/api/v1/analysis/rules/nyx/dangerous/dynamic-eval');
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.equal(json.body.id, 'nyx/dangerous/dynamic-eval');
    const page = await fetch(`${nyx.url}/api/v1/analysis/rules/nyx/dangerous/dynamic-eval`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await page.text();
    assert.match(html, /<code>nyx\/dangerous\/dynamic-eval<\/code>/);
    assert.match(html, /<dd class="severity-error">error<\/dd>/);
    assert.doesNotMatch(html, /<script/i);
    const missing = await fetch(`${nyx.url}/api/v1/analysis/rules/nyx/nope/nothing`, { headers: { accept: 'text/html' } });
    assert.equal(missing.status, 404);
  });

  it('a teammate sees the same findings (access is by tenant, not by author)', async () => {
    const projectId = await createProject(nyx.url, alice, 'shared');
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, [{ path: 'x.py', content: 'import os\nos.system("rm " + name)\n' }]);
    await analyze(nyx.url, alice, projectId, { snapshotId });
    const mate = await createTeammate(nyx, alice.tenantId);
    const seen = await findings(nyx.url, mate, projectId);
    assert.deepEqual(seen.map((f) => f.ruleId), ['nyx/dangerous/shell-injection']);
  });
});
