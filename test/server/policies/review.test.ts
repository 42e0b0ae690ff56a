import assert from 'node:assert/strict';
import { FINDING_RULE_ID } from '#protocol/findings.ts';
import { COMPLIANCE_EVENT } from '#protocol/policies.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from '../analysis-api/helpers.ts';
import { call, createProject, fetchBytes, pdfText, runToEnd } from '../knowledge/helpers.ts';
import { collectRunStream } from '../runs/helpers.ts';

const POLICY = [
  '# Secure coding',
  '## 1 Queries',
  'Database queries use bound parameters; input is never concatenated into SQL.',
  'Controls: ISO 27001:2022 A.8.28',
  'Covers: CWE-89',
  '## 2 No passwords in logs',
  'Log lines never contain a password or a session token.',
  'Controls: ISO 27001:2022 A.8.15, GDPR Art. 32',
  '## 3 Staff training',
  'Every engineer completes secure development training once a year.',
  'Controls: ISO 27001:2022 A.6.3',
].join('\n');

const VULNERABLE: WorkspaceFile[] = [
  { path: 'src/users.js', content: 'export function find(db, id) {\n  return db.query(`SELECT * FROM users WHERE id = ${id}`);\n}\n' },
  { path: 'src/login.js', content: 'export function failed(logger, user, password) {\n  logger.warn("login failed", { user, password });\n}\n' },
];
const FIXED: WorkspaceFile[] = [
  { path: 'src/users.js', content: "export function find(db, id) {\n  return db.query('SELECT * FROM users WHERE id = $1', [id]);\n}\n" },
  { path: 'src/login.js', content: 'export function failed(logger, user) {\n  logger.warn("login failed", { user });\n}\n' },
];

async function tenantWithAnthropic(nyx: TestNyx, fake: FakeAnthropic, label: string): Promise<TestTenant> {
  const tenant = await createTestTenant(nyx, label);
  await call(nyx, tenant, 'PUT', '/api/v1/providers/anthropic', 200, { apiKey: `sk-ant-api03-${'x'.repeat(40)}`, baseUrl: fake.url });
  return tenant;
}

describe('policies: compliance review (run, matrix, report, gap findings)', () => {
  let nyx: TestNyx;
  let fake: FakeAnthropic;
  before(async () => {
    nyx = await sharedNyx();
    fake = await startFakeAnthropic();
  });
  after(() => fake.close());

  it('refuses a review when the team has no policies, before a run exists', async () => {
    const team = await createTestTenant(nyx, 'review-none');
    const projectId = await createProject(nyx, team, 'No policies');
    const problem = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 422, {});
    assert.equal(problem.field, 'documentIds');
    assert.match(problem.detail, /no policies/);
    // The generic run route says the same: a review is never started only to fail.
    const viaRuns = await call(nyx, team, 'POST', '/api/v1/runs', 422, { kind: 'compliance-review', projectId, input: {} });
    assert.equal(viaRuns.field, 'documentIds');
    assert.match(viaRuns.detail, /no policies/);
    assert.deepEqual((await call(nyx, team, 'GET', `/api/v1/runs?projectId=${projectId}`, 200)).items, []);
  });

  it('checks CWE clauses without a model, asks the compliance officer about the rest, saves the matrix as a report and gaps as findings; a re-run after the fix closes them', async () => {
    const team = await tenantWithAnthropic(nyx, fake, 'review');
    const other = await createTestTenant(nyx, 'review-other');
    const projectId = await createProject(nyx, team, 'Shop');
    const policy = await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: POLICY });
    const { snapshotId } = await uploadWorkspace(nyx.url, team, projectId, VULNERABLE);
    await analyze(nyx.url, team, projectId, { snapshotId });
    const sqlFinding = (await findings(nyx.url, team, projectId)).find((f) => f.ruleId === 'nyx/dangerous/sql-injection');
    assert.ok(sqlFinding, 'the analysis found the SQL injection');

    fake.plan({
      json: {
        assessments: [
          { number: '2', status: 'gap', rationale: 'The failed-login warning logs the password.', evidence: [{ path: 'src/login.js', line: 2 }, { path: 'src/invented.js', line: 7 }] },
          { number: '3', status: 'not_applicable', rationale: 'Training is an organisational process, not visible in code.', evidence: [] },
        ],
      },
    });
    const before = fake.requests.length;
    const started = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 201, {});
    assert.equal(started.kind, 'compliance-review');
    assert.equal(started.input.snapshotId, snapshotId);
    const run = await runToEnd(nyx, team, started.id);

    const prompts = fake.requests.slice(before);
    assert.equal(prompts.length, 1, 'one model call for the two clauses that need judgement');
    const prompt = JSON.stringify(prompts[0]!.body);
    assert.ok(prompt.includes('Clause 2: No passwords in logs') && prompt.includes('Clause 3: Staff training'));
    assert.ok(!prompt.includes('Clause 1: Queries'), 'the CWE clause is not sent to the model');
    assert.ok(prompt.includes('src/login.js:') && prompt.includes('logger.warn(\\\"login failed\\\", { user, password })'), 'the code that bears on the clause is the evidence');
    assert.ok(prompt.includes('compliance officer'), 'the compliance officer persona reviews');

    const matrix = await call(nyx, team, 'GET', `/api/v1/compliance-reviews/${run.id}`, 200);
    const [queries, logging, training] = matrix.rows;
    assert.equal(queries.status, 'gap');
    assert.equal(queries.assessedBy, 'builtin');
    assert.equal(queries.citation, 'Secure coding §1');
    assert.deepEqual(queries.evidence.map((e: { findingId: string; path: string; line: number }) => [e.findingId, e.path, e.line]), [[sqlFinding.id, 'src/users.js', 2]]);
    assert.equal(logging.status, 'gap');
    assert.equal(logging.assessedBy, 'model');
    assert.deepEqual(logging.evidence.map((e: { path: string; line: number }) => `${e.path}:${e.line}`), ['src/login.js:2'], 'evidence naming no file of the snapshot is dropped');
    assert.equal(training.status, 'not_applicable');
    assert.deepEqual(matrix.totals, { met: 0, partial: 0, gap: 2, not_applicable: 1, unreviewed: 0 });
    assert.match(matrix.model, /^anthropic\//);
    assert.equal(matrix.documents[0].id, policy.document.id);

    const stream = await collectRunStream(nyx.url, team, run.id);
    const clauseEvents = stream.messages.filter((m) => m.event === COMPLIANCE_EVENT.clause);
    assert.equal(clauseEvents.length, 3, 'one event per clause');
    assert.ok(stream.messages.some((m) => m.event === 'progress'));

    const gaps = (await findings(nyx.url, team, projectId)).filter((f) => f.ruleId.startsWith('nyx/policy/'));
    assert.deepEqual(gaps.map((f) => `${f.ruleId} ${f.path}:${f.range.startLine}`).sort(), ['nyx/policy/secure-coding/1 src/users.js:2', 'nyx/policy/secure-coding/2 src/login.js:2']);
    // Gap findings are findings like any other: their rule ids fit the findings contract.
    for (const gap of gaps) assert.match(gap.ruleId, FINDING_RULE_ID);
    assert.doesNotMatch('nyx/policy/secure-coding/4 2', FINDING_RULE_ID);
    assert.ok(gaps.every((f) => f.source === 'policy' && f.message.includes('Secure coding §')));
    assert.deepEqual(logging.gapFindingIds, [gaps.find((f) => f.ruleId.endsWith('/2'))!.id]);

    const report = await call(nyx, team, 'GET', `/api/v1/reports/${matrix.reportId}`, 200);
    assert.equal(report.kind, 'compliance');
    assert.equal(report.runId, run.id);
    assert.ok(report.markdown.includes('| [secure-coding §1](#nyx/policy/secure-coding/1) | Queries | Gap | builtin |'), report.markdown);
    const pdf = await fetchBytes(nyx, team, `/api/v1/reports/${matrix.reportId}/export.pdf`);
    assert.equal(pdf.status, 200);
    assert.ok((await pdfText(pdf.bytes)).includes('Secure coding §2'));
    await call(nyx, other, 'GET', `/api/v1/compliance-reviews/${run.id}`, 404);

    // The fix: parameterised query, no password logged. Analyse, review again.
    const fixed = await uploadWorkspace(nyx.url, team, projectId, FIXED);
    await analyze(nyx.url, team, projectId, { snapshotId: fixed.snapshotId });
    fake.plan({
      json: {
        assessments: [
          { number: '2', status: 'met', rationale: 'The warning logs the user only.', evidence: [{ path: 'src/login.js', line: 2 }] },
          { number: '3', status: 'not_applicable', rationale: 'Organisational.', evidence: [] },
        ],
      },
    });
    const again = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 201, {});
    assert.notEqual(again.id, run.id, 'a new snapshot is a new review, not a deduplicated one');
    await runToEnd(nyx, team, again.id);
    const after = await call(nyx, team, 'GET', `/api/v1/compliance-reviews/${again.id}`, 200);
    assert.deepEqual(after.rows.map((r: { status: string }) => r.status), ['met', 'met', 'not_applicable']);
    assert.deepEqual((await findings(nyx.url, team, projectId)).filter((f) => f.ruleId.startsWith('nyx/policy/')), [], 'the gaps are closed');
    const closed = await findings(nyx.url, team, projectId, '?status=fixed');
    assert.equal(closed.filter((f) => f.ruleId.startsWith('nyx/policy/')).length, 2);
  });

  it('without a model provider: CWE clauses are still checked, the rest say they were not reviewed', async () => {
    const team = await createTestTenant(nyx, 'review-nomodel');
    const projectId = await createProject(nyx, team, 'Offline');
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: POLICY });
    const { snapshotId } = await uploadWorkspace(nyx.url, team, projectId, FIXED);
    await analyze(nyx.url, team, projectId, { snapshotId });
    const started = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 201, {});
    await runToEnd(nyx, team, started.id);
    const matrix = await call(nyx, team, 'GET', `/api/v1/compliance-reviews/${started.id}`, 200);
    assert.deepEqual(matrix.rows.map((r: { status: string; assessedBy: string }) => `${r.status}/${r.assessedBy}`), ['met/builtin', 'unreviewed/none', 'unreviewed/none']);
    assert.equal(matrix.model, null);
  });

  it('when the model call fails, the built-in checks still count and the other clauses say why they were not reviewed', async () => {
    const team = await tenantWithAnthropic(nyx, fake, 'review-fails');
    const projectId = await createProject(nyx, team, 'Provider down');
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: POLICY });
    const { snapshotId } = await uploadWorkspace(nyx.url, team, projectId, FIXED);
    await analyze(nyx.url, team, projectId, { snapshotId });
    fake.plan({ status: 400, message: 'the request was refused' });
    const started = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 201, {});
    await runToEnd(nyx, team, started.id);
    const matrix = await call(nyx, team, 'GET', `/api/v1/compliance-reviews/${started.id}`, 200);
    assert.deepEqual(matrix.rows.map((r: { status: string }) => r.status), ['met', 'unreviewed', 'unreviewed']);
    assert.match(matrix.rows[1].rationale, /could not be asked/);
  });

  it('names another tenant\'s policy in documentIds: 404 naming the field, nothing started', async () => {
    const team = await createTestTenant(nyx, 'review-x');
    const other = await createTestTenant(nyx, 'review-x-other');
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: POLICY });
    const theirs = await call(nyx, other, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: POLICY });
    const projectId = await createProject(nyx, team, 'Cross');
    const problem = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/compliance-reviews`, 404, { documentIds: [theirs.document.id] });
    assert.equal(problem.field, 'documentIds.0');
    const viaRuns = await call(nyx, team, 'POST', '/api/v1/runs', 404, { kind: 'compliance-review', projectId, input: { documentIds: [theirs.document.id] } });
    assert.equal(viaRuns.field, 'input.documentIds.0');
    assert.deepEqual((await call(nyx, team, 'GET', `/api/v1/runs?projectId=${projectId}`, 200)).items, []);
  });
});
