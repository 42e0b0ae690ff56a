import assert from 'node:assert/strict';
import { systemEm } from '#server/db/tenant-context.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import type { StoredFinding } from '#protocol/analysis.ts';
import { analyze, findings, manifestOf, sha256, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

/**
 * Decision 0024: a snapshot built on a base snapshot (`baseSnapshotId` + `removed`), and runs that
 * look only at the files differing from the project's last analysis. The outcome must be the
 * outcome of a full analysis of the same files: each scenario is checked against a fresh project
 * analyzed in full.
 */

const EVAL = 'nyx/dangerous/dynamic-eval';
const V1: WorkspaceFile[] = [
  { path: 'src/a.js', content: 'export function run(input) {\n  return eval(input);\n}\n' },
  { path: 'src/b.js', content: 'export function other(code) {\n  return eval(code);\n}\n' },
  { path: 'src/c.py', content: 'def add(a, b):\n    return a + b\n' },
  { path: 'src/keep.js', content: 'export const answer = () => 42;\n' },
];

/** Creates a snapshot on `base` through the API, `changed` uploaded first or (`inline`) sent with it; returns the response. */
async function deltaSnapshot(nyx: TestNyx, who: TestTenant, projectId: string, base: string, changed: WorkspaceFile[], removed: string[], inline = false) {
  if (inline) {
    const files = manifestOf(changed).map((entry, i) => ({ ...entry, contentBase64: Buffer.from(changed[i]!.content).toString('base64') }));
    return api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots`, { token: who.token, body: { files, baseSnapshotId: base, removed } });
  }
  for (const file of changed) {
    const put = await fetch(`${nyx.url}/api/v1/blobs/${sha256(file.content)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/octet-stream' },
      body: Buffer.from(file.content),
    });
    assert.ok(put.status === 201 || put.status === 200, await put.text());
  }
  return api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots`, { token: who.token, body: { files: manifestOf(changed), baseSnapshotId: base, removed } });
}

/** What a project's findings say, independent of ids and snapshots: path, rule, status and position. */
function outcome(items: StoredFinding[]): string[] {
  return items.map((f) => `${f.path} ${f.ruleId} ${f.status} ${f.range.startLine}:${f.range.startColumn}`).sort();
}

async function fullAnalysisOf(nyx: TestNyx, who: TestTenant, files: WorkspaceFile[]): Promise<string[]> {
  const projectId = await createProject(nyx.url, who, `full ${Math.random()}`);
  const { snapshotId } = await uploadWorkspace(nyx.url, who, projectId, files);
  await analyze(nyx.url, who, projectId, { snapshotId });
  return outcome(await findings(nyx.url, who, projectId));
}

describe('analysis API: snapshots on a base, incremental analysis (decision 0024)', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let bob: TestTenant;
  let projectId: string;
  let v1: string;
  let firstRunId: string;

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'incremental');
    bob = await createTestTenant(nyx, 'incremental-other');
    projectId = await createProject(nyx.url, alice, 'incremental');
    v1 = (await uploadWorkspace(nyx.url, alice, projectId, V1)).snapshotId;
  });

  it('builds a complete snapshot from a base, the changed entries and the removed paths', async () => {
    const changed = [{ path: 'src/new.js', content: 'export const x = 1;\n' }];
    const created = await deltaSnapshot(nyx, alice, projectId, v1, changed, ['src/c.py'], true);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const check = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots/check`, { token: alice.token, body: { files: manifestOf(changed) } });
    assert.deepEqual(check.body.missing, [], 'the content sent inline was stored as a blob');
    const expected = [...V1.filter((f) => f.path !== 'src/c.py'), ...changed];
    assert.equal(created.body.fileCount, expected.length);
    assert.equal(created.body.totalBytes, expected.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0));
    // The run sees exactly those files: it analyzes all of them (no analysis of this project yet).
    const { result, run } = await analyze(nyx.url, alice, projectId, { snapshotId: created.body.id });
    firstRunId = run.id;
    assert.equal(result.files, expected.length);
    assert.equal(result.incremental, null, 'the first analysis of a project has no base');
  });

  it('after a full analysis, analyzes only the changed files and ends where a full analysis of the same files ends', async () => {
    const first = await analyze(nyx.url, alice, projectId, { snapshotId: v1 });
    // The findings are those of the snapshot above: v1 differs from it by c.py (back) and new.js (gone).
    assert.deepEqual(first.result.incremental, { baseRunId: firstRunId, changed: 1, removed: 1 });
    assert.equal(first.result.analyzed, 1, 'c.py is analyzed; the rest is carried over');
    const before = await findings(nyx.url, alice, projectId);
    const keptA = before.find((f) => f.path === 'src/a.js' && f.ruleId === EVAL)!;
    assert.ok(keptA, JSON.stringify(outcome(before)));

    // b.js fixed, d.js new with an eval, c.py deleted; a.js and keep.js untouched.
    const changed = [
      { path: 'src/b.js', content: 'export function other(code) {\n  return JSON.parse(code);\n}\n' },
      { path: 'src/d.js', content: 'export const d = (s) => eval(s);\n' },
    ];
    const v2 = await deltaSnapshot(nyx, alice, projectId, v1, changed, ['src/c.py']);
    assert.equal(v2.status, 201, JSON.stringify(v2.body));
    const { result, run } = await analyze(nyx.url, alice, projectId, { snapshotId: v2.body.id });
    assert.deepEqual(result.incremental, { baseRunId: first.run.id, changed: 2, removed: 1 });
    assert.equal(result.analyzed, 2, 'only b.js and d.js are analyzed');
    assert.equal(result.cacheHits, 2);
    assert.equal(result.files, 4);
    assert.equal(result.opened, 1);
    assert.equal(result.fixed, 1);

    const after = await findings(nyx.url, alice, projectId, '?status=all');
    const v2Files = [...V1.filter((f) => f.path !== 'src/c.py' && f.path !== 'src/b.js'), ...changed];
    const full = await fullAnalysisOf(nyx, alice, v2Files);
    // A fresh project has no fixed b.js finding; everything else must be the same.
    assert.deepEqual(outcome(after.filter((f) => f.status !== 'fixed')), full);
    assert.deepEqual(after.filter((f) => f.status === 'fixed').map((f) => f.path), ['src/b.js']);
    // The untouched file's finding was carried over: same row, seen in the new snapshot.
    const carried = after.find((f) => f.id === keptA.id)!;
    assert.equal(carried.lastSeenSnapshotId, v2.body.id);
    assert.equal(carried.firstSeenSnapshotId, keptA.firstSeenSnapshotId);
    assert.equal(result.findings, after.filter((f) => f.status === 'open').length);

    const patterns = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/code-patterns`, { token: alice.token });
    const evalPattern = patterns.body.items.find((p: { ruleId: string }) => p.ruleId === EVAL);
    assert.equal(evalPattern.count, after.filter((f) => f.ruleId === EVAL && f.status === 'open').length);
    assert.equal(run.status, 'succeeded');
  });

  it('a save that only changes files of the base swaps their entries in place: the manifest a full snapshot of the same files has', async () => {
    const project = await createProject(nyx.url, alice, 'in place');
    const base = (await uploadWorkspace(nyx.url, alice, project, V1)).snapshotId;
    // Two files of the base changed, one of them longer: the order, sizes and total must follow.
    const changed = [
      { path: 'src/keep.js', content: 'export const answer = () => 4242;\n' },
      { path: 'src/a.js', content: 'export function run(input) {\n  return input;\n}\n' },
    ];
    const delta = await deltaSnapshot(nyx, alice, project, base, changed, [], true);
    assert.equal(delta.status, 201, JSON.stringify(delta.body));
    const now = V1.map((file) => changed.find((c) => c.path === file.path) ?? file);
    const full = (await uploadWorkspace(nyx.url, alice, await createProject(nyx.url, alice, 'in place, full'), now)).snapshotId;
    const stored = async (id: string) => (await systemEm(nyx.database.orm).execute<{ files: unknown; file_count: number; total_bytes: string }[]>(`select files, file_count, total_bytes from snapshots where id = ?`, [id]))[0]!;
    const [inPlace, whole] = [await stored(delta.body.id), await stored(full)];
    assert.deepEqual(inPlace.files, whole.files);
    assert.equal(inPlace.file_count, whole.file_count);
    assert.equal(Number(inPlace.total_bytes), Number(whole.total_bytes));
    assert.equal(delta.body.totalBytes, Number(whole.total_bytes));
  });

  it('a snapshot built in place records its base and what differs, and the next analysis works from that record (decision 0025)', async () => {
    const project = await createProject(nyx.url, alice, 'recorded delta');
    const base = (await uploadWorkspace(nyx.url, alice, project, V1)).snapshotId;
    await analyze(nyx.url, alice, project, { snapshotId: base });
    // a.js changed; keep.js sent as it was (an editor may resend a saved but unchanged file): no change.
    const fixedA = { path: 'src/a.js', content: 'export function run(input) {\n  return input;\n}\n' };
    const sent = [fixedA, V1.find((f) => f.path === 'src/keep.js')!];
    const delta = await deltaSnapshot(nyx, alice, project, base, sent, [], true);
    assert.equal(delta.status, 201, JSON.stringify(delta.body));
    const [row] = await systemEm(nyx.database.orm).execute<{ base_snapshot_id: string; base_delta: unknown }[]>(`select base_snapshot_id, base_delta from snapshots where id = ?`, [delta.body.id]);
    assert.equal(row!.base_snapshot_id, base);
    assert.deepEqual(row!.base_delta, { changed: manifestOf([fixedA]), removed: [] });
    const { result } = await analyze(nyx.url, alice, project, { snapshotId: delta.body.id });
    assert.equal(result.analyzed, 1);
    assert.equal(result.fixed, 1, "a.js's eval is gone");
    assert.deepEqual(result.incremental && { changed: result.incremental.changed, removed: result.incremental.removed }, { changed: 1, removed: 0 });
    const now = V1.map((file) => (file.path === fixedA.path ? fixedA : file));
    const after = await findings(nyx.url, alice, project);
    assert.deepEqual(outcome(after), await fullAnalysisOf(nyx, alice, now));
  });

  it('fixes a finding reopened by hand whose file is gone, as a full analysis would', async () => {
    // d.js's finding is dismissed, d.js deleted (a dismissed finding is not judged), then reopened by hand.
    const open = await findings(nyx.url, alice, projectId);
    const onD = open.find((f) => f.path === 'src/d.js')!;
    const dismissed = await api(nyx.url, 'POST', `/api/v1/findings/${onD.id}/dismiss`, { token: alice.token, body: { reason: 'test' } });
    assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
    const latest = (await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings?status=all`, { token: alice.token })).body.items[0].lastSeenSnapshotId;
    const v3 = await deltaSnapshot(nyx, alice, projectId, latest, [], ['src/d.js']);
    assert.equal(v3.status, 201, JSON.stringify(v3.body));
    const third = await analyze(nyx.url, alice, projectId, { snapshotId: v3.body.id });
    assert.ok(third.result.incremental);
    assert.equal((await findings(nyx.url, alice, projectId, '?status=dismissed')).length, 1);
    const reopened = await api(nyx.url, 'POST', `/api/v1/findings/${onD.id}/reopen`, { token: alice.token });
    assert.equal(reopened.status, 200, JSON.stringify(reopened.body));

    const v4 = await deltaSnapshot(nyx, alice, projectId, v3.body.id, [{ path: 'src/keep.js', content: 'export const answer = () => 43;\n' }], []);
    const fourth = await analyze(nyx.url, alice, projectId, { snapshotId: v4.body.id });
    assert.deepEqual(fourth.result.incremental && { changed: fourth.result.incremental.changed, removed: fourth.result.incremental.removed }, { changed: 1, removed: 0 });
    assert.equal(fourth.result.fixed, 1, 'the reopened finding of a deleted file is fixed');
    const row = (await api(nyx.url, 'GET', `/api/v1/findings/${onD.id}`, { token: alice.token })).body;
    assert.equal(row.status, 'fixed');
  });

  it('goes in full when the rules differ from the last analysis', async () => {
    const snapshots = await findings(nyx.url, alice, projectId, '?status=all');
    const latest = snapshots.map((f) => f.lastSeenSnapshotId).find(Boolean)!;
    const v5 = await deltaSnapshot(nyx, alice, projectId, latest, [{ path: 'src/e.js', content: 'export const e = 1;\n' }], []);
    const secretsOnly = await analyze(nyx.url, alice, projectId, { snapshotId: v5.body.id, rules: ['nyx/secrets/'] });
    assert.equal(secretsOnly.result.incremental, null);
    // Back to every rule: the state names the secrets-only run, so this one goes in full too.
    const all = await analyze(nyx.url, alice, projectId, { snapshotId: v5.body.id });
    assert.equal(all.result.incremental, null);
    assert.equal(all.result.analyzed, 1, 'only e.js is new to these rules: the rest comes from the cache');
    assert.equal(all.result.cacheHits, all.result.files - 1);
  });

  describe('bad input: a 4xx naming the field, nothing written', () => {
    async function snapshotCount(who: TestTenant): Promise<number> {
      const rows = await nyx.database.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from snapshots where tenant_id = ?`, [who.tenantId]);
      return rows[0]!.n;
    }
    const cases: [string, (ids: { other: string; bobs: string }) => Record<string, unknown>, number, string][] = [
      ['removed without a base', () => ({ files: [], removed: ['src/a.js'] }), 400, 'removed'],
      ['a removed path the base does not have', () => ({ files: [], baseSnapshotId: v1, removed: ['src/nope.js'] }), 400, 'removed.0'],
      ['a path both changed and removed', () => ({ files: manifestOf([V1[0]!]), baseSnapshotId: v1, removed: ['src/a.js'] }), 400, 'removed.0'],
      ['a base of another project', ({ other }) => ({ files: [], baseSnapshotId: other }), 400, 'baseSnapshotId'],
      ['a base that does not exist', () => ({ files: [], baseSnapshotId: '00000000-0000-4000-8000-000000000000' }), 404, 'baseSnapshotId'],
      ["another tenant's base", ({ bobs }) => ({ files: [], baseSnapshotId: bobs }), 404, 'baseSnapshotId'],
      ['a base that is not a uuid', () => ({ files: [], baseSnapshotId: 'v1' }), 400, 'baseSnapshotId'],
      ['inline content that does not match its hash', () => ({ files: [{ ...manifestOf([V1[0]!])[0], contentBase64: Buffer.from('something else').toString('base64') }], baseSnapshotId: v1 }), 400, 'files.0.contentBase64'],
      ['inline content that is not base64', () => ({ files: [{ ...manifestOf([V1[0]!])[0], contentBase64: '%%%' }] }), 400, 'files.0.contentBase64'],
      ['a removed path that is not a manifest path', () => ({ files: [], baseSnapshotId: v1, removed: ['../etc/passwd'] }), 400, 'removed.0'],
    ];
    for (const [name, body, status, field] of cases) {
      it(name, async () => {
        const otherProject = await createProject(nyx.url, alice, 'other');
        const other = (await uploadWorkspace(nyx.url, alice, otherProject, [V1[3]!])).snapshotId;
        const bobProject = await createProject(nyx.url, bob, 'bob');
        const bobs = (await uploadWorkspace(nyx.url, bob, bobProject, [V1[3]!])).snapshotId;
        const before = await snapshotCount(alice);
        const response = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots`, { token: alice.token, body: body({ other, bobs }) });
        assert.equal(response.status, status, JSON.stringify(response.body));
        assert.equal(response.body.field, field, JSON.stringify(response.body));
        assert.equal(await snapshotCount(alice), before);
      });
    }
  });
});
