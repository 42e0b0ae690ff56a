import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { MCP_PATH } from '#protocol/mcp.ts';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sql } from '../ai-api/helpers.ts';
import { analyze, findings, uploadWorkspace } from '../analysis-api/helpers.ts';
import { createProject } from '../team/helpers.ts';
import { callTool, connectMcp, type McpSession } from './helpers.ts';

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

async function rawPost(nyx: TestNyx, headers: Record<string, string>) {
  const response = await fetch(new URL(MCP_PATH, nyx.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(INITIALIZE),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

describe('mcp: authentication and tenancy', () => {
  let nyx: TestNyx;
  let owner: TestTenant;
  let other: TestTenant;
  let otherSession: McpSession;
  const ids = { project: '', finding: '', report: '', discussionRun: '' };

  before(async function () {
    this.timeout(240_000); // the shared server may start here
    nyx = await sharedNyx();
    owner = await createTestTenant(nyx, 'mcp-owner');
    other = await createTestTenant(nyx, 'mcp-other');
    ids.project = await createProject(nyx, owner, 'mcp-owned');
    const { snapshotId } = await uploadWorkspace(nyx.url, owner, ids.project, [{ path: 'x.js', content: 'export const run = (s) => eval(s);\n' }]);
    await analyze(nyx.url, owner, ids.project, { snapshotId });
    ids.finding = (await findings(nyx.url, owner, ids.project))[0]!.id;
    ids.report = (await api(nyx.url, 'POST', '/api/v1/reports', { token: owner.token, body: { projectId: ids.project, kind: 'analysis', markdown: '# Owned' } })).body.id;
    // A run of the owner's that is not a discussion or workflow still must not be told apart from a missing one.
    ids.discussionRun = (await api(nyx.url, 'POST', '/api/v1/runs', { token: owner.token, body: { kind: 'selftest', projectId: ids.project, input: {} } })).body.id;
    otherSession = await connectMcp(nyx, other.token);
  });
  after(() => otherSession?.close());

  it('answers 401 before the MCP layer without a token or with a malformed or unknown one', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Basic abc' }, { authorization: `Bearer nyx_${'a'.repeat(40)}` }];
    for (const headers of attempts) {
      const response = await rawPost(nyx, headers);
      assert.equal(response.status, 401, response.body);
      assert.match(response.type, /application\/problem\+json/);
      assert.equal(JSON.parse(response.body).code, 'unauthorized');
      assert.doesNotMatch(response.body, /jsonrpc/, 'the MCP layer never saw the request');
    }
    await assert.rejects(connectMcp(nyx, null), /401/);
    const ok = await rawPost(nyx, { authorization: `Bearer ${owner.token}` });
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /"serverInfo":\{"name":"nyx"/);
  });

  it('stops accepting a revoked token at once, in an open session and for new ones', async () => {
    const mate = await createTeammate(nyx, owner.tenantId);
    const session = await connectMcp(nyx, mate.token);
    const projects = await callTool(session, 'list_projects', {});
    assert.deepEqual(projects.data.items.map((p: { id: string }) => p.id), [ids.project]);
    const tokens = await api(nyx.url, 'GET', '/api/v1/tokens', { token: mate.token });
    const mine = tokens.body.items.find((token: { userId: string }) => token.userId === mate.userId);
    const revoked = await api(nyx.url, 'POST', `/api/v1/tokens/${mine.id}/revoke`, { token: mate.token });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await assert.rejects(session.client.listTools(), /401/);
    await assert.rejects(connectMcp(nyx, mate.token), /401/);
    const security = await sql<{ kind: string }>(nyx, `select kind from security_events where tenant_id = ? and kind = 'auth_revoked'`, [owner.tenantId]);
    assert.ok(security.length >= 1, 'the refused attempt is recorded like any route\'s');
    await session.close().catch(() => undefined);
  });

  it('keeps no sessions: GET and DELETE answer 405 to an authenticated client', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(new URL(MCP_PATH, nyx.url), { method, headers: { authorization: `Bearer ${owner.token}`, accept: 'text/event-stream' } });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'POST');
      await response.body?.cancel();
    }
    const anonymous = await fetch(new URL(MCP_PATH, nyx.url), { method: 'GET' });
    assert.equal(anonymous.status, 401);
  });

  it("answers another tenant's ids exactly like ids that do not exist, and changes nothing", async () => {
    const missing = randomUUID();
    const calls: [string, (id: string) => Record<string, unknown>, string][] = [
      ['explain_finding', (id) => ({ findingId: id }), ids.finding],
      ['set_finding_status', (id) => ({ findingId: id, status: 'dismissed', reason: 'not ours' }), ids.finding],
      ['search_findings', (id) => ({ projectId: id }), ids.project],
      ['start_analysis', (id) => ({ projectId: id, waitSeconds: 0 }), ids.project],
      ['search_memory', (id) => ({ projectId: id, query: 'anything' }), ids.project],
      ['add_note', (id) => ({ projectId: id, title: 'sneaky' }), ids.project],
      ['add_memory', (id) => ({ projectId: id, kind: 'fact', text: 'sneaky' }), ids.project],
      ['get_report', (id) => ({ reportId: id }), ids.report],
      ['get_discussion', (id) => ({ runId: id }), ids.discussionRun],
      ['get_workflow_run', (id) => ({ runId: id }), ids.discussionRun],
    ];
    for (const [tool, args, foreign] of calls) {
      const theirs = await callTool(otherSession, tool, args(foreign));
      const nobodys = await callTool(otherSession, tool, args(missing));
      assert.equal(theirs.result.isError, true, `${tool}: ${theirs.text}`);
      assert.match(theirs.text, /^not_found: /, tool);
      assert.equal(theirs.text.replaceAll(foreign, 'ID'), nobodys.text.replaceAll(missing, 'ID'), `${tool} tells the two apart`);
    }
    const theirs = otherSession.client.readResource({ uri: `nyx://reports/${ids.report}` });
    await assert.rejects(theirs, (error: Error) => error.message.includes(`not_found: report ${ids.report} not found`));
    const listed = await otherSession.client.listResources();
    assert.ok(!listed.resources.some((r) => r.uri.includes(ids.report)));
    const projects = await callTool(otherSession, 'list_projects', {});
    assert.deepEqual(projects.data.items, []);

    const finding = await api(nyx.url, 'GET', `/api/v1/findings/${ids.finding}`, { token: owner.token });
    assert.equal(finding.body.status, 'open', 'the foreign dismiss changed nothing');
    const written = await sql(nyx, `select id from notes where project_id = ? union all select id from memory_entries where project_id = ?`, [ids.project, ids.project]);
    assert.deepEqual(written, []);
    const noticed = await sql(nyx, `select target from security_events where kind = 'cross_tenant_access' and tenant_id = ?`, [other.tenantId]);
    assert.ok(noticed.some((row) => String(row.target) === `finding:${ids.finding}`), 'the attempt is recorded as a security event, like through the API');
  });
});
