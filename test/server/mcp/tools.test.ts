import assert from 'node:assert/strict';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { RuleInfo } from '#protocol/findings.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sql } from '../ai-api/helpers.ts';
import { findings, uploadWorkspace } from '../analysis-api/helpers.ts';
import { createProject } from '../team/helpers.ts';
import { callError, callOk, connectMcp, type McpSession } from './helpers.ts';

const EXPECTED_TOOLS = [
  'add_memory', 'add_note', 'explain_finding', 'get_discussion', 'get_report', 'get_rule', 'get_workflow_run', 'list_personas', 'list_projects',
  'list_reports', 'list_workflows', 'search_findings', 'search_memory', 'set_finding_status', 'start_analysis', 'start_discussion', 'start_workflow',
];

const FILES = [
  { path: 'src/a.js', content: 'export function a(x) {\n  return eval(x);\n}\n' },
  { path: 'src/b.js', content: 'export function b(y) {\n  const f = new Function(y);\n  return eval(y + 1) + f();\n}\n' },
  { path: 'src/clean.js', content: 'export const clean = (n) => n + 1;\n' },
];

describe('mcp: tools over Streamable HTTP', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let session: McpSession;
  let projectId: string;
  let latestSnapshotId: string;

  before(async function () {
    this.timeout(240_000); // the shared server starts here: migrations on a loaded machine take a while
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'mcp-tools');
    projectId = await createProject(nyx, team, 'mcp-tools');
    // Two snapshots: start_analysis must pick the newer one.
    await uploadWorkspace(nyx.url, team, projectId, FILES.slice(0, 1));
    latestSnapshotId = (await uploadWorkspace(nyx.url, team, projectId, FILES)).snapshotId;
    session = await connectMcp(nyx, team.token);
  });
  after(() => session?.close());

  it('lists every tool with a JSON Schema derived from the protocol contracts and a description an agent can act on', async () => {
    const { tools } = await session.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), EXPECTED_TOOLS);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const search = byName.get('search_findings')!.inputSchema as any;
    assert.deepEqual(search.properties.severity.enum, ['error', 'warning', 'info']);
    assert.equal(search.properties.projectId.format, 'uuid');
    assert.deepEqual(search.required, ['projectId']);
    assert.equal(search.additionalProperties, false, 'unknown arguments are refused, not ignored');
    assert.deepEqual((byName.get('set_finding_status')!.inputSchema as any).properties.status.enum, ['open', 'dismissed']);
    assert.deepEqual((byName.get('add_memory')!.inputSchema as any).properties.kind.enum, ['decision', 'convention', 'fact']);
    const discussion = byName.get('start_discussion')!.inputSchema as any;
    assert.equal(discussion.properties.personaIds.minItems, 2);
    assert.equal(discussion.properties.rounds.maximum, 5);
    for (const tool of tools) {
      assert.ok((tool.description ?? '').length >= 80, `${tool.name} says what it does, when to use it and what it returns`);
      assert.equal(tool.inputSchema.type, 'object');
    }
    assert.equal(byName.get('search_findings')!.annotations?.readOnlyHint, true);
    assert.equal(byName.get('set_finding_status')!.annotations?.readOnlyHint, false);
  });

  it('start_analysis analyses the latest snapshot with progress; search_findings filters like the API', async () => {
    const analysis = await callOk(session, 'start_analysis', { projectId }, { withProgress: true });
    assert.equal(analysis.data.status, 'succeeded', analysis.text);
    assert.equal(analysis.data.snapshotId, latestSnapshotId);
    assert.equal(analysis.data.result.files, 3);
    assert.ok(analysis.data.result.findings >= 3, analysis.text);
    assert.ok(analysis.progress.length >= 2, `progress notifications: ${JSON.stringify(analysis.progress)}`);
    assert.equal(analysis.progress.at(-1)!.progress, 100);
    for (let i = 1; i < analysis.progress.length; i++) assert.ok(analysis.progress[i]!.progress > analysis.progress[i - 1]!.progress, 'progress increases with every notification');

    const viaApi = await findings(nyx.url, team, projectId);
    const all = await callOk(session, 'search_findings', { projectId });
    assert.deepEqual(all.data.items.map((f: StoredFinding) => f.id), viaApi.map((f) => f.id));
    assert.equal(all.data.total, viaApi.length);

    const inA = await callOk(session, 'search_findings', { projectId, path: 'src/a.js' });
    assert.ok(inA.data.items.length >= 1 && inA.data.items.every((f: StoredFinding) => f.path === 'src/a.js'));
    const severity = viaApi[0]!.severity;
    const bySeverity = await callOk(session, 'search_findings', { projectId, severity });
    assert.deepEqual(bySeverity.data.items.map((f: StoredFinding) => f.id), viaApi.filter((f) => f.severity === severity).map((f) => f.id));
    const ruleId = viaApi[0]!.ruleId;
    const byRule = await callOk(session, 'search_findings', { projectId, ruleId });
    assert.deepEqual(byRule.data.items.map((f: StoredFinding) => f.id), viaApi.filter((f) => f.ruleId === ruleId).map((f) => f.id));
    const page = await callOk(session, 'search_findings', { projectId, limit: 1, offset: 1 });
    assert.deepEqual(page.data.items.map((f: StoredFinding) => f.id), [viaApi[1]!.id]);
    assert.equal(page.data.total, viaApi.length);

    // A CWE filter returns exactly the findings whose rule declares that CWE (per the rule catalog).
    const catalog = await api<{ items: RuleInfo[] }>(nyx.url, 'GET', '/api/v1/analysis/rules');
    const cweOf = (id: string) => catalog.body.items.find((rule) => rule.id === id)?.cwe ?? [];
    const cwes = [...new Set(viaApi.flatMap((f) => cweOf(f.ruleId))), 'CWE-1']; // CWE-1 matches no rule
    assert.ok(cwes.length > 1, 'the eval findings carry CWE ids (CWE-94/95) in the rule catalog');
    for (const cwe of cwes) {
      const byCwe = await callOk(session, 'search_findings', { projectId, cwe });
      assert.deepEqual(byCwe.data.items.map((f: StoredFinding) => f.id), viaApi.filter((f) => cweOf(f.ruleId).includes(cwe)).map((f) => f.id), cwe);
      assert.equal(byCwe.data.items.length > 0, cwe !== 'CWE-1', cwe);
    }
  });

  it('explains a finding with its rule, and get_rule returns the rule page', async () => {
    const [finding] = await findings(nyx.url, team, projectId, '?path=src/a.js');
    const explained = await callOk(session, 'explain_finding', { findingId: finding!.id });
    assert.equal(explained.data.finding.id, finding!.id);
    assert.equal(explained.data.rule.id, finding!.ruleId);
    assert.equal(explained.data.flow, null, 'this rule records no data-flow path');
    assert.match(explained.text, new RegExp(`src/a\\.js:${finding!.range.startLine}:`));
    assert.ok(explained.text.includes(explained.data.rule.title) && explained.text.includes(finding!.message));

    const rule = await callOk(session, 'get_rule', { ruleId: finding!.ruleId });
    assert.equal(rule.data.rule.id, finding!.ruleId);
    assert.ok(rule.text.startsWith(`# ${rule.data.rule.title}`));
    assert.match(await callError(session, 'get_rule', { ruleId: 'nyx/none/such-rule' }), /not_found: rule nyx\/none\/such-rule not found/);
  });

  it('dismisses a finding with a reason and reopens it; a dismiss without a reason names the field and changes nothing', async () => {
    const [finding] = await findings(nyx.url, team, projectId);
    const missingReason = await callError(session, 'set_finding_status', { findingId: finding!.id, status: 'dismissed' });
    assert.match(missingReason, /reason/);
    assert.equal((await api(nyx.url, 'GET', `/api/v1/findings/${finding!.id}`, { token: team.token })).body.status, 'open');

    const dismissed = await callOk(session, 'set_finding_status', { findingId: finding!.id, status: 'dismissed', reason: 'eval of a constant table, reviewed' });
    assert.equal(dismissed.data.status, 'dismissed');
    const stored = await api(nyx.url, 'GET', `/api/v1/findings/${finding!.id}`, { token: team.token });
    assert.equal(stored.body.status, 'dismissed');
    assert.equal(stored.body.dismissedReason, 'eval of a constant table, reviewed');
    assert.equal(stored.body.dismissedBy, team.userId);
    const reopened = await callOk(session, 'set_finding_status', { findingId: finding!.id, status: 'open' });
    assert.equal(reopened.data.status, 'open');
    assert.match(await callError(session, 'set_finding_status', { findingId: finding!.id, status: 'open' }), /conflict: .*only a dismissed finding can be reopened/);

    // A resolution, as the editor's triage gives it; both changes are in the finding's history.
    const falsePositive = await callOk(session, 'set_finding_status', { findingId: finding!.id, status: 'dismissed', reason: 'constant input', resolution: 'false-positive' });
    assert.equal(falsePositive.data.resolution, 'false-positive');
    const history = await api(nyx.url, 'GET', `/api/v1/findings/${finding!.id}/triage`, { token: team.token });
    assert.deepEqual(history.body.items.map((entry: { action: string }) => entry.action), ['accepted', 'reopened', 'false-positive']);
  });

  it('adds a memory entry and a note, and search_memory finds them', async () => {
    const memory = await callOk(session, 'add_memory', { projectId, kind: 'decision', text: 'Every SQL statement uses parameterised queries; string concatenation is refused in review.' });
    assert.equal(memory.data.kind, 'decision');
    const listed = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/memory`, { token: team.token });
    assert.ok(listed.body.items.some((entry: { id: string }) => entry.id === memory.data.id));

    const note = await callOk(session, 'add_note', {
      projectId,
      title: 'Why eval stays in a.js',
      body: 'The plugin loader evaluates vetted snippets only.',
      location: { path: 'src/a.js', startLine: 2, endLine: 2 },
    });
    assert.deepEqual(note.data.location, { path: 'src/a.js', startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 });
    const notes = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/notes`, { token: team.token });
    assert.ok(notes.body.items.some((n: { id: string }) => n.id === note.data.id));

    const hits = await callOk(session, 'search_memory', { projectId, query: 'parameterised SQL queries', limit: 5 });
    assert.equal(hits.data.items[0].id, memory.data.id, JSON.stringify(hits.data.items));
    assert.match(hits.data.items[0].snippet, /parameterised queries/);
  });

  it('lists projects and personas', async () => {
    const projects = await callOk(session, 'list_projects', {});
    assert.deepEqual(projects.data.items.map((p: { id: string }) => p.id), [projectId]);
    const personas = await callOk(session, 'list_personas', { builtIn: true });
    assert.ok(personas.data.items.length >= 2);
    assert.ok(personas.data.items.every((p: { builtIn: boolean }) => p.builtIn));
    const auditors = await callOk(session, 'list_personas', { q: 'security' });
    assert.ok(auditors.data.items.some((p: { builtInKey: string | null }) => p.builtInKey === 'security-auditor'));
  });

  it('reads a report as Markdown through the tool and the nyx://reports resource; rules are resources too', async () => {
    const markdown = '# Weekly review\n\n- eval in `src/a.js`\n';
    const created = await api(nyx.url, 'POST', '/api/v1/reports', { token: team.token, body: { projectId, kind: 'analysis', title: 'Weekly review', markdown } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const reportId = created.body.id;

    const viaTool = await callOk(session, 'get_report', { reportId });
    assert.equal(viaTool.text, markdown);
    assert.equal(viaTool.data.title, 'Weekly review');
    const listed = await callOk(session, 'list_reports', { projectId });
    assert.deepEqual(listed.data.items.map((r: { id: string }) => r.id), [reportId]);

    const templates = await session.client.listResourceTemplates();
    assert.deepEqual(templates.resourceTemplates.map((t) => t.uriTemplate).sort(), ['nyx://reports/{reportId}', 'nyx://rules/{+ruleId}']);
    const resources = await session.client.listResources();
    assert.ok(resources.resources.some((r) => r.uri === `nyx://reports/${reportId}` && r.name === 'Weekly review'));
    assert.ok(resources.resources.some((r) => r.uri === 'nyx://rules/nyx/dangerous/dynamic-eval'));

    const report = await session.client.readResource({ uri: `nyx://reports/${reportId}` });
    assert.equal((report.contents[0] as { text: string }).text, markdown);
    assert.equal(report.contents[0]!.mimeType, 'text/markdown');
    const rule = await session.client.readResource({ uri: 'nyx://rules/nyx/dangerous/dynamic-eval' });
    assert.match((rule.contents[0] as { text: string }).text, /^# .+\n\nRule `nyx\/dangerous\/dynamic-eval`/);
    await assert.rejects(session.client.readResource({ uri: 'nyx://reports/not-a-uuid' }), /validation_failed: .*uuid/i);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await sql(nyx, 'select count(*)::int as n from memory_entries where tenant_id = ?', [team.tenantId]);
    assert.match(await callError(session, 'add_memory', { projectId, kind: 'opinion', text: 'x' }), /kind/);
    assert.match(await callError(session, 'add_memory', { projectId, kind: 'fact', text: '   ' }), /text/);
    assert.match(await callError(session, 'add_memory', { projectId, kind: 'fact', text: 'x', extra: 1 }), /extra/);
    assert.match(await callError(session, 'search_findings', { projectId: 'nope' }), /projectId/);
    assert.match(await callError(session, 'search_findings', { projectId, severity: 'fatal' }), /severity/);
    const after = await sql(nyx, 'select count(*)::int as n from memory_entries where tenant_id = ?', [team.tenantId]);
    assert.deepEqual(after, before);
    assert.match(await callError(session, 'start_analysis', { projectId, rules: ['not-a-rule'] }), /rules/);
  });
});
