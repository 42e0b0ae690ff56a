import assert from 'node:assert/strict';
import type { StoredFinding } from '#protocol/analysis.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { uploadWorkspace } from '../analysis-api/helpers.ts';
import { createProject } from '../team/helpers.ts';
import { callOk, connectMcp, type McpSession } from './helpers.ts';

// An Express handler puts a query parameter into SQL: the taint rules report it with its path.
const APP = [
  "const express = require('express');",
  'const app = express();',
  "app.get('/', (req, res) => {",
  '  const q = req.query.id;',
  '  db.query("SELECT * FROM t WHERE id=" + q);',
  '});',
  '',
].join('\n');

describe('mcp: a data-flow finding explained to an agent', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let session: McpSession;
  let projectId: string;

  before(async function () {
    this.timeout(240_000); // the shared server may start here
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'mcp-flow');
    projectId = await createProject(nyx, team, 'mcp-flow');
    await uploadWorkspace(nyx.url, team, projectId, [{ path: 'src/app.js', content: APP }]);
    session = await connectMcp(nyx, team.token);
  });
  after(() => session?.close());

  it('finds the SQL injection by CWE and explains it with its path from source to sink', async () => {
    const analysis = await callOk(session, 'start_analysis', { projectId });
    assert.equal(analysis.data.status, 'succeeded', analysis.text);
    const byCwe = await callOk(session, 'search_findings', { projectId, cwe: 'CWE-89' });
    const sql = byCwe.data.items.find((finding: StoredFinding) => finding.flow);
    assert.ok(sql, `no CWE-89 finding with a flow: ${byCwe.text}`);

    const explained = await callOk(session, 'explain_finding', { findingId: sql.id });
    const flow = explained.data.flow;
    assert.equal(flow[0].kind, 'source');
    assert.equal(flow[0].range.startLine, 4, 'the source is req.query.id');
    assert.equal(flow.at(-1).kind, 'sink');
    assert.equal(flow.at(-1).range.startLine, 5);
    assert.match(explained.text, /## Data flow\n\n1\. source `src\/app\.js:4:\d+`: .+\n/);
    assert.match(explained.text, /CWE-89/);
  });
});
