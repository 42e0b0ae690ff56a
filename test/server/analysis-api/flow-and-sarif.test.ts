// Flow paths stored and served, and the SARIF export, through the real server on the test
// database. The taint engine that fills Finding.flow lands separately: here the flow findings are
// written through the findings store the analysis itself uses (persistFindings), next to
// findings a real analysis made, so storage, API and export are tested on their own.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Finding, FlowStep } from '#protocol/findings.ts';
import type { StoredFinding } from '#protocol/analysis.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { cacheKeyOf, readCache, writeCache } from '#server/modules/analysis/analysis-cache.ts';
import { persistFindings } from '#server/modules/analysis/findings-store.ts';
import { findRule } from '#server/modules/analysis/rule-docs.ts';
import { renderRulePage } from '#server/modules/analysis/rule-page.ts';
import { FINGERPRINT_KEY } from '#server/modules/analysis/sarif.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sarifSchemaErrors } from '../helpers/sarif-schema.ts';
import { createProject } from '../runs/helpers.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

const SQL = 'nyx/dangerous/sql-injection';
const TLS = 'nyx/dangerous/tls-verification-disabled';
const APP = [
  "const app = require('express')();",
  "app.get('/', (req, res) => {",
  '  const q = req.query.id;',
  '  db.query("SELECT * FROM t WHERE id=" + q);',
  '});',
  '',
].join('\n');
const FILES: WorkspaceFile[] = [
  { path: 'src/app.js', content: APP },
  { path: 'src/fetch.py', content: 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n' },
];
const range = (line: number, start: number, end: number) => ({ startLine: line, startColumn: start, endLine: line, endColumn: end });
const FLOW: FlowStep[] = [
  { kind: 'source', path: 'src/app.js', range: range(3, 13, 25), message: 'request parameter `id` read' },
  { kind: 'step', path: 'src/app.js', range: range(4, 12, 44), message: 'concatenated into the query' },
  { kind: 'sink', path: 'src/app.js', range: range(4, 3, 45), message: 'executed by db.query' },
];
const flowFinding: Finding = { ruleId: SQL, severity: 'error', message: 'Request parameter `id` reaches db.query', path: 'src/app.js', range: range(4, 3, 45), flow: FLOW, fingerprint: 'f1'.repeat(16) };

describe('findings with flow paths, and the SARIF export', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let bob: TestTenant;
  let projectId: string;
  let snapshotId: string;

  async function store(finding: Finding): Promise<void> {
    await withTenant(nyx.database.orm, alice, (em) =>
      persistFindings(em, { tenantId: alice.tenantId, projectId, snapshotId, findings: [{ ...finding, snippet: 'db.query(...)', source: 'builtin' }], judged: () => false }),
    );
  }

  before(async function () {
    this.timeout(180_000); // a cold start migrates a fresh database and spins up the analysis workers
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'flow');
    bob = await createTestTenant(nyx, 'flow-other');
    projectId = await createProject(nyx.url, alice, 'flows');
    snapshotId = (await uploadWorkspace(nyx.url, alice, projectId, FILES)).snapshotId;
    await analyze(nyx.url, alice, projectId, { snapshotId });
    await store(flowFinding);
  });

  it('stores the flow and serves it on the finding, with the rule’s CWE and OWASP; a later sighting replaces it', async () => {
    const listed = (await findings(nyx.url, alice, projectId)).find((f) => f.fingerprint === flowFinding.fingerprint);
    assert.ok(listed, 'the flow finding is not listed');
    assert.deepEqual(listed.flow, FLOW);
    assert.deepEqual(listed.cwe, findRule(SQL)?.cwe ?? []);
    assert.deepEqual(listed.owasp, findRule(SQL)?.owasp ?? []);
    const one = await api<StoredFinding>(nyx.url, 'GET', `/api/v1/findings/${listed.id}`, { token: alice.token });
    assert.deepEqual(one.body.flow, FLOW);
    const tls = (await findings(nyx.url, alice, projectId)).find((f) => f.ruleId === TLS);
    assert.ok(tls, 'the real analysis found the TLS finding');
    assert.equal(tls.flow, null, 'a pattern finding has no flow');

    // Two lines added above: same fingerprint, same id, the path moved with the code.
    const moved = FLOW.map((step) => ({ ...step, range: { ...step.range, startLine: step.range.startLine + 2, endLine: step.range.endLine + 2 } }));
    await store({ ...flowFinding, range: range(6, 3, 45), flow: moved });
    const after = await api<StoredFinding>(nyx.url, 'GET', `/api/v1/findings/${listed.id}`, { token: alice.token });
    assert.deepEqual(after.body.flow!.map((step) => step.range.startLine), [5, 6, 6]);
    await store(flowFinding);
  });

  it('keeps the flow through the analysis cache (jsonb round trip)', async () => {
    const key = cacheKeyOf('test-rules', 'src/app.js', 'ab'.repeat(32));
    const cached = [{ ...flowFinding, snippet: 'db.query(...)' }];
    const read = await withTenant(nyx.database.orm, alice, async (em) => {
      await writeCache(em, alice.tenantId, 'test-rules', [{ key, path: 'src/app.js', blobSha256: 'ab'.repeat(32), findings: cached }]);
      return readCache(em, [key]);
    });
    assert.deepEqual(read.get(key), cached);
  });

  it('exports the open findings as SARIF 2.1.0 that the official schema accepts', async () => {
    const response = await fetch(`${nyx.url}/api/v1/projects/${projectId}/findings.sarif`, { headers: { authorization: `Bearer ${alice.token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/sarif\+json/);
    const log = await response.json();
    assert.deepEqual(sarifSchemaErrors(log), []);
    const run = log.runs[0];
    const open = await findings(nyx.url, alice, projectId);
    assert.equal(run.results.length, open.length, 'one result per open finding');
    assert.deepEqual(new Set(run.results.map((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints[FINGERPRINT_KEY])), new Set(open.map((f) => f.fingerprint)));

    const flow = run.results.find((r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints[FINGERPRINT_KEY] === flowFinding.fingerprint);
    assert.equal(flow.ruleId, SQL);
    assert.equal(run.tool.driver.rules[flow.ruleIndex].id, SQL);
    assert.equal(flow.level, 'error');
    assert.deepEqual(flow.locations[0].physicalLocation, { artifactLocation: { uri: 'src/app.js', uriBaseId: '%SRCROOT%' }, region: range(4, 3, 45) });
    const steps = flow.codeFlows[0].threadFlows[0].locations;
    assert.deepEqual(
      steps.map((step: { location: { physicalLocation: { region: { startLine: number } }; message: { text: string } } }) => [step.location.physicalLocation.region.startLine, step.location.message.text]),
      [[3, 'request parameter `id` read'], [4, 'concatenated into the query'], [4, 'executed by db.query']],
      'source first, sink last',
    );
    const plain = run.results.find((r: { ruleId: string }) => r.ruleId === TLS);
    assert.equal(plain.codeFlows, undefined);
    assert.equal(plain.fixes?.[0]?.artifactChanges[0].replacements[0].insertedContent.text, 'verify=True', 'the deterministic fix travels');

    const sqlRule = run.tool.driver.rules[flow.ruleIndex];
    assert.equal(sqlRule.helpUri, `${nyx.url}/api/v1/analysis/rules/nyx%2Fdangerous%2Fsql-injection`);
    assert.ok(sqlRule.properties.tags.includes('security'));
    // The CWE taxonomy lists exactly the CWEs of the rules used (the catalog says which).
    const usedCwe = [...new Set(run.tool.driver.rules.flatMap((rule: { id: string }) => findRule(rule.id)?.cwe ?? []))].sort();
    assert.deepEqual((run.taxonomies?.[0]?.taxa ?? []).map((taxon: { id: string }) => taxon.id).sort(), usedCwe);
    for (const cwe of findRule(SQL)?.cwe ?? []) assert.ok(sqlRule.relationships.some((relation: { target: { id: string } }) => relation.target.id === cwe), `${cwe} not related`);
  });

  it('leaves dismissed findings out of the export', async () => {
    const tls = (await findings(nyx.url, alice, projectId)).find((f) => f.ruleId === TLS)!;
    assert.equal((await api(nyx.url, 'POST', `/api/v1/findings/${tls.id}/dismiss`, { token: alice.token, body: { reason: 'lab proxy' } })).status, 200);
    const log = (await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings.sarif`, { token: alice.token })).body;
    assert.ok(!log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === TLS));
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/findings/${tls.id}/reopen`, { token: alice.token })).status, 200);
  });

  it('is tenant-scoped: another tenant gets the same 404 as for a project that does not exist; bad ids are 400; no token is 401', async () => {
    const foreign = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings.sarif`, { token: bob.token });
    const missingId = randomUUID();
    const missing = await api(nyx.url, 'GET', `/api/v1/projects/${missingId}/findings.sarif`, { token: bob.token });
    assert.equal(foreign.status, 404);
    assert.equal(missing.status, 404);
    const shape = (body: Record<string, unknown>, id: string) => JSON.parse(JSON.stringify({ ...body, requestId: 'R' }).replaceAll(id, 'ID'));
    assert.deepEqual(shape(foreign.body, projectId), shape(missing.body, missingId));
    assert.ok(!JSON.stringify(foreign.body).includes('sql'), 'nothing of the project leaks');
    const bad = await api(nyx.url, 'GET', '/api/v1/projects/not-a-uuid/findings.sarif', { token: alice.token });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /\bid\b/);
    assert.equal((await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings.sarif`)).status, 401);
  });

  it('exports an empty but valid log for a project without findings', async () => {
    const empty = await createProject(nyx.url, alice, 'no findings');
    const log = (await api(nyx.url, 'GET', `/api/v1/projects/${empty}/findings.sarif`, { token: alice.token })).body;
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.deepEqual(log.runs[0].results, []);
  });
});

describe('rule page: severity, CWE, OWASP, why it matters, examples, references', () => {
  it('renders every part of a rule that has them, escaped, with the CWE linked to MITRE', () => {
    const html = renderRulePage({
      id: 'nyx/taint/sql-injection',
      title: 'SQL built from untrusted input',
      severity: 'error',
      languages: ['javascript', 'java'],
      fixable: false,
      docs: 'Untrusted data changes the **meaning** of the query.',
      cwe: ['CWE-89', 'CWE-564'],
      owasp: ['A03:2021 Injection'],
      examples: { language: 'javascript', vulnerable: 'db.query("… id=" + req.query.id) // <b>', fixed: 'db.query("… id=$1", [req.query.id])' },
      references: ['https://owasp.org/www-community/attacks/SQL_Injection', 'urn:isbn:0451450523'],
    });
    assert.match(html, /<dd class="severity-error">error<\/dd>/);
    assert.match(html, /<dt>CWE<\/dt><dd><a href="https:\/\/cwe\.mitre\.org\/data\/definitions\/89\.html">CWE-89<\/a>, <a href="https:\/\/cwe\.mitre\.org\/data\/definitions\/564\.html">CWE-564<\/a><\/dd>/);
    assert.match(html, /<dt>OWASP Top 10<\/dt><dd>A03:2021 Injection<\/dd>/);
    assert.match(html, /<h2>Why it matters<\/h2>\n<p>Untrusted data changes the <strong>meaning<\/strong> of the query\.<\/p>/);
    assert.match(html, /<pre class="vulnerable"><code class="language-javascript">db\.query\(&quot;… id=&quot; \+ req\.query\.id\) \/\/ &lt;b&gt;<\/code><\/pre>/);
    assert.match(html, /<pre class="fixed"><code class="language-javascript">db\.query\(&quot;… id=\$1&quot;, \[req\.query\.id\]\)<\/code><\/pre>/);
    assert.match(html, /<li><a href="https:\/\/owasp\.org\/www-community\/attacks\/SQL_Injection">/);
    assert.match(html, /<li>urn:isbn:0451450523<\/li>/, 'a non-web reference is text, not a link');
  });

  it('serves the page for a catalog rule with what the catalog has', async () => {
    const nyx = await sharedNyx();
    const page = await fetch(`${nyx.url}/api/v1/analysis/rules/${SQL}`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    const html = await page.text();
    const rule = findRule(SQL)!;
    assert.match(html, /<h2>Why it matters<\/h2>/);
    assert.match(html, /<dd class="severity-error">error<\/dd>/);
    for (const cwe of rule.cwe ?? []) assert.ok(html.includes(`>${cwe}</a>`), `${cwe} missing`);
    if (rule.examples) assert.match(html, /<pre class="vulnerable">/);
    assert.equal(html.includes('<dt>CWE</dt>'), Boolean(rule.cwe?.length), 'the CWE row appears exactly when the rule has CWEs');
  });
});
