// End to end through a real analysis: an Express handler puts a query parameter into SQL; the
// taint engine (issue #15, server/src/modules/analysis/taint/) must report it with its path, and
// the path must reach the API and the SARIF export. This file FAILS until the taint engine lands:
// storage, API and export are covered without it by flow-and-sarif.test.ts.
import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sarifSchemaErrors } from '../helpers/sarif-schema.ts';
import { createProject } from '../runs/helpers.ts';
import { analyze, findings, uploadWorkspace } from './helpers.ts';

const APP = [
  "const express = require('express');",
  'const app = express();',
  "app.get('/', (req, res) => {",
  '  const q = req.query.id;',
  '  db.query("SELECT * FROM t WHERE id=" + q);',
  '});',
  '',
].join('\n');

describe('a data-flow finding from a real analysis, in the API and in SARIF', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;

  before(async function () {
    this.timeout(180_000);
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'flow-e2e');
    projectId = await createProject(nyx.url, alice, 'express flow');
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, [{ path: 'src/app.js', content: APP }]);
    await analyze(nyx.url, alice, projectId, { snapshotId });
  });

  it('reports the SQL injection at the sink with its path from req.query.id, CWE-89', async () => {
    const withFlow = (await findings(nyx.url, alice, projectId)).filter((finding) => finding.flow);
    const sql = withFlow.find((finding) => finding.cwe.includes('CWE-89'));
    assert.ok(sql, `no CWE-89 finding with a flow: ${JSON.stringify(withFlow.map((f) => [f.ruleId, f.cwe]))}`);
    assert.equal(sql.range.startLine, 5, 'at the db.query call');
    const flow = sql.flow!;
    assert.equal(flow[0]!.kind, 'source');
    assert.equal(flow[0]!.range.startLine, 4, 'the source is req.query.id');
    assert.equal(flow[flow.length - 1]!.kind, 'sink');
    assert.equal(flow[flow.length - 1]!.range.startLine, 5);
    assert.ok(flow.every((step) => step.path === 'src/app.js' && step.message.length > 0));
  });

  it('exports it with a code flow and the CWE taxonomy, valid SARIF 2.1.0', async () => {
    const log = (await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings.sarif`, { token: alice.token })).body;
    assert.deepEqual(sarifSchemaErrors(log), []);
    const run = log.runs[0];
    const result = run.results.find((r: { codeFlows?: unknown[] }) => r.codeFlows?.length);
    assert.ok(result, 'no result with codeFlows');
    const lines = result.codeFlows[0].threadFlows[0].locations.map((step: { location: { physicalLocation: { region: { startLine: number } } } }) => step.location.physicalLocation.region.startLine);
    assert.equal(lines[0], 4);
    assert.equal(lines[lines.length - 1], 5);
    assert.ok(run.taxonomies[0].taxa.some((taxon: { id: string }) => taxon.id === 'CWE-89'));
  });
});
