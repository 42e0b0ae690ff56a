import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { collectRunStream, waitFor, waitForFinalRun } from '../runs/helpers.ts';
import { findings } from '../analysis-api/helpers.ts';
import { AUTOFIX_EVENT, type AutofixState } from '#protocol/autofix.ts';
import type { Run } from '#protocol/runs.ts';
import { findingOf, fixtureProject, reportApplied, sql, start, succeeded, textOf, type FixtureProject } from './helpers.ts';

describe('autofix: deterministic analyzer fixes, no model', () => {
  let nyx: TestNyx;
  let project: FixtureProject;

  before(async () => {
    nyx = await sharedNyx();
    project = await fixtureProject(nyx, 'afx-det');
  });

  it('fixes findings with analyzer fixes without any provider, applies once, and the re-analysis marks them fixed', async () => {
    // weak-password-hash has no analyzer fix (a real password hash needs a salt and a new format), so TLS is the one.
    const tls = await findingOf(nyx, project, 'nyx/dangerous/tls-verification-disabled');
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [tls.id] });
    const result = await succeeded(nyx, project.who, run.id);

    assert.equal(result.mode, 'deterministic');
    assert.equal(result.usage, null);
    assert.equal(result.files.length, 1);
    const [patch] = result.files;
    const base = textOf(project, 'src/seeded.js');
    assert.equal(patch!.path, 'src/seeded.js');
    assert.equal(patch!.edits.length, 1);
    assert.ok(patch!.newContent.includes('rejectUnauthorized: true'));
    assert.equal(patch!.newContent.length, base.length + 'true'.length - 'false'.length, 'nothing else changed');
    assert.equal(patch!.syntaxChecked, true);
    assert.match(result.reportMarkdown, /Auto-fix of 1 finding/);
    assert.deepEqual(result.findings.map((f) => f.id), [tls.id]);

    const { messages } = await collectRunStream(nyx.url, project.who, run.id);
    const steps = messages.filter((m) => m.event === AUTOFIX_EVENT.step).map((m) => JSON.parse(m.data).data.step);
    assert.deepEqual(steps, ['collecting-context', 'validating'], 'no generating step without a model');
    assert.equal(messages.filter((m) => m.event === AUTOFIX_EVENT.patch).length, 1);

    const first = await reportApplied(nyx, project.who, run.id, [{ path: patch!.path, newBlobHash: patch!.newBlobHash }]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.changed, true);
    assert.equal(first.body.applied[0]!.asProposed, true);
    assert.ok(first.body.analysisRunId);
    const analysis = await waitFor('re-analysis', async () => {
      const res = await api<Run>(nyx.url, 'GET', `/api/v1/runs/${first.body.analysisRunId}`, { token: project.who.token });
      return res.body.status === 'succeeded' ? res.body : null;
    }, 60_000);
    assert.equal((analysis.result as { analyzed: number }).analyzed, 1, 'only the applied file is analyzed again');
    const after = await findings(nyx.url, project.who, project.projectId, '?status=fixed');
    assert.deepEqual(after.filter((f) => f.id === tls.id).map((f) => f.status), ['fixed']);

    const second = await reportApplied(nyx, project.who, run.id, [{ path: patch!.path, newBlobHash: patch!.newBlobHash }]);
    assert.equal(second.status, 200);
    assert.equal(second.body.changed, false);
    assert.equal(second.body.applied.length, 0);
    assert.equal(second.body.alreadyApplied.length, 1);
    assert.match(second.body.message, /Nothing applied twice/);
    const rows = await sql(nyx, `select count(*)::int as n from autofix_applications where run_id = ?`, [run.id]);
    assert.equal(rows[0]!.n, 1);
    const analyses = await sql(nyx, `select count(*)::int as n from runs where project_id = ? and kind = 'analysis'`, [project.projectId]);
    assert.equal(analyses[0]!.n, 2, 'the repeated report started no analysis');

    const state = await api<AutofixState>(nyx.url, 'GET', `/api/v1/autofix/${run.id}`, { token: project.who.token });
    assert.equal(state.status, 200);
    assert.equal(state.body.applications.length, 1);
    assert.equal(state.body.result?.files[0]!.newBlobHash, patch!.newBlobHash);
    await waitFor('the run report', async () => (await sql(nyx, `select kind from reports where run_id = ?`, [run.id]))[0]?.kind === 'autofix', 15_000);
  });

  it('a model is needed when one selected finding has no analyzer fix, and without a provider the run says so', async () => {
    const evalFinding = await findingOf(nyx, project, 'nyx/dangerous/dynamic-eval');
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [evalFinding.id] });
    const failed = await waitForFinalRun(nyx.url, project.who, run.id, 60_000);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /no AI provider is configured/);
  });
});
