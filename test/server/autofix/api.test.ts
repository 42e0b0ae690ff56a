import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { fileRef, findingOf, fixtureProject, reportApplied, sql, start, succeeded, type FixtureProject } from './helpers.ts';

describe('autofix API: bad input and tenant isolation', () => {
  let nyx: TestNyx;
  let project: FixtureProject;
  let mallory: TestTenant;
  let runId: string;
  let newBlobHash: string;

  before(async () => {
    nyx = await sharedNyx();
    project = await fixtureProject(nyx, 'afx-api');
    mallory = await createTestTenant(nyx, 'afx-mallory');
    const tls = await findingOf(nyx, project, 'nyx/dangerous/tls-verification-disabled');
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { files: [fileRef(project, 'src/seeded.js')], findingIds: [tls.id] });
    runId = run.id;
    newBlobHash = (await succeeded(nyx, project.who, runId)).files[0]!.newBlobHash;
  });

  const post = (who: TestTenant, path: string, body: unknown) => api(nyx.url, 'POST', path, { token: who.token, body });

  it('bad input is a 400 naming the field, and starts nothing', async () => {
    const runsBefore = (await sql(nyx, `select count(*)::int as n from runs where project_id = ?`, [project.projectId]))[0]!.n;
    const autofixes = `/api/v1/projects/${project.projectId}/autofixes`;
    const refactors = `/api/v1/projects/${project.projectId}/refactors`;
    const finding = await findingOf(nyx, project, 'nyx/dangerous/inner-html');
    const cases: [string, unknown, string][] = [
      [autofixes, { findingIds: [finding.id] }, 'snapshotId'],
      [autofixes, { snapshotId: project.snapshotId, files: [fileRef(project, 'src/seeded.js')], findingIds: [finding.id] }, 'snapshotId'],
      [autofixes, { snapshotId: project.snapshotId, findingIds: ['nope'] }, 'findingIds.0'],
      [autofixes, { snapshotId: project.snapshotId, findingIds: [] }, 'findingIds'],
      [autofixes, { files: [fileRef(project, 'src/clean.js')], findingIds: [finding.id] }, 'findingIds.0'],
      [autofixes, { snapshotId: project.snapshotId, findingIds: [finding.id], personaId: 'no-such-persona' }, 'personaId'],
      [refactors, { files: [fileRef(project, 'src/clean.js')] }, 'instruction'],
      [refactors, { files: [fileRef(project, 'src/clean.js')], instruction: '   ' }, 'instruction'],
      [refactors, { files: [{ path: '../etc/passwd', blobHash: fileRef(project, 'src/clean.js').blobHash }], instruction: 'x' }, 'files.0.path'],
      [refactors, { files: [fileRef(project, 'src/clean.js'), fileRef(project, 'src/clean.js')], instruction: 'x' }, 'files.1.path'],
      [refactors, { files: [{ path: 'src/clean.js', blobHash: 'abc' }], instruction: 'x' }, 'files.0.blobHash'],
      [refactors, { files: [fileRef(project, 'src/clean.js')], instruction: 'x', range: { path: 'src/other.js', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } }, 'range.path'],
      [refactors, { files: [fileRef(project, 'src/clean.js')], instruction: 'x', extra: true }, 'extra'],
      ['/api/v1/runs', { kind: 'refactor', projectId: project.projectId, input: { files: [] , instruction: 'x' } }, 'input.files'],
    ];
    for (const [path, body, field] of cases) {
      const res = await post(project.who, path, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.field, field, JSON.stringify(res.body));
    }
    const missingBlob = await post(project.who, refactors, { files: [{ path: 'src/new.js', blobHash: 'f'.repeat(64) }], instruction: 'x' });
    assert.equal(missingBlob.status, 409);
    assert.equal(missingBlob.body.field, 'files.0.blobHash');

    const applied = `/api/v1/autofix/${runId}/applied`;
    for (const [body, field] of [
      [{ files: [] }, 'files'],
      [{ files: [{ path: 'src/seeded.js', newBlobHash: 'xyz' }] }, 'files.0.newBlobHash'],
      [{ files: [{ path: 'src/clean.js', newBlobHash }] }, 'files.0.path'],
    ] as const) {
      const res = await post(project.who, applied, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.field, field);
    }
    const notUploaded = await post(project.who, applied, { files: [{ path: 'src/seeded.js', newBlobHash: 'e'.repeat(64) }] });
    assert.equal(notUploaded.status, 409);
    assert.match(notUploaded.body.detail ?? notUploaded.body.message ?? JSON.stringify(notUploaded.body), /upload it first/);
    const runsAfter = (await sql(nyx, `select count(*)::int as n from runs where project_id = ?`, [project.projectId]))[0]!.n;
    assert.equal(runsAfter, runsBefore, 'no run was started');
    assert.equal((await sql(nyx, `select count(*)::int as n from autofix_applications where run_id = ?`, [runId]))[0]!.n, 0, 'nothing was recorded');
  });

  it("another tenant's run, project and finding answer 404 like missing ones, with a security event", async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [runId, missing]) {
      assert.equal((await api(nyx.url, 'GET', `/api/v1/autofix/${id}`, { token: mallory.token })).status, 404);
      assert.equal((await reportApplied(nyx, mallory, id, [{ path: 'src/seeded.js', newBlobHash }])).status, 404);
    }
    const theirs = await findingOf(nyx, project, 'nyx/dangerous/inner-html');
    const malloryProject = (await post(mallory, '/api/v1/projects', { name: 'mine' })).body.id as string;
    const crossFinding = await post(mallory, `/api/v1/projects/${malloryProject}/autofixes`, { files: [{ path: 'src/seeded.js', blobHash: newBlobHash }], findingIds: [theirs.id] });
    assert.equal(crossFinding.status, 404);
    assert.equal((await post(mallory, `/api/v1/projects/${project.projectId}/refactors`, { files: [fileRef(project, 'src/clean.js')], instruction: 'x' })).status, 404);
    const events = await sql<{ target: string }>(nyx, `select target from security_events where tenant_id = ?`, [mallory.tenantId]);
    const targets = events.map((e) => e.target);
    assert.ok(targets.includes(`run:${runId}`) && targets.includes(`finding:${theirs.id}`) && targets.includes(`project:${project.projectId}`), JSON.stringify(targets));
    assert.ok(!targets.includes(`run:${missing}`), 'a missing id is no security event');
    assert.equal((await sql(nyx, `select count(*)::int as n from autofix_applications where run_id = ?`, [runId]))[0]!.n, 0);
  });

  it('a run of another kind is not an autofix run', async () => {
    const analysis = (await sql<{ id: string }>(nyx, `select id from runs where project_id = ? and kind = 'analysis' limit 1`, [project.projectId]))[0]!.id;
    const res = await api(nyx.url, 'GET', `/api/v1/autofix/${analysis}`, { token: project.who.token });
    assert.equal(res.status, 404);
    assert.match(JSON.stringify(res.body), /its kind is analysis/);
  });
});
