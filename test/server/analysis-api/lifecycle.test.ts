import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject, waitFor } from '../runs/helpers.ts';
import { fixtureFiles } from '../analysis/fixture-repo.ts';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openSubscribedStream } from '../helpers/event-stream.ts';
import { FINDINGS_CHANGED_EVENT } from '#protocol/analysis.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

const replace = (files: WorkspaceFile[], path: string, content: string): WorkspaceFile[] => files.map((f) => (f.path === path ? { path, content } : f));
const textOf = (files: WorkspaceFile[], path: string) => Buffer.from(files.find((f) => f.path === path)!.content).toString('utf8');

describe('analysis API: re-analysis, fingerprints, fixed, dismiss and reopen', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;
  let files: WorkspaceFile[];
  let firstSnapshot: string;

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'life');
    projectId = await createProject(nyx.url, alice, 'lifecycle');
    files = fixtureFiles('js');
    firstSnapshot = (await uploadWorkspace(nyx.url, alice, projectId, files)).snapshotId;
    await analyze(nyx.url, alice, projectId, { snapshotId: firstSnapshot });
  });

  it('after one file is edited, uploads one blob, analyzes one file, and keeps fingerprints and ids while lines shift', async () => {
    const before = (await findings(nyx.url, alice, projectId)).filter((f) => f.path === 'src/seeded.js');
    assert.ok(before.length >= 3);
    files = replace(files, 'src/seeded.js', '// added\n// lines\n// above\n' + textOf(files, 'src/seeded.js'));
    const { snapshotId, uploaded } = await uploadWorkspace(nyx.url, alice, projectId, files);
    assert.deepEqual(uploaded, ['src/seeded.js']);
    const { result } = await analyze(nyx.url, alice, projectId, { snapshotId });
    assert.equal(result.analyzed, 1, 'only the edited file is analyzed');
    assert.equal(result.cacheHits, files.length - 1);
    assert.equal(result.opened, 0);
    assert.equal(result.fixed, 0);
    const after = (await findings(nyx.url, alice, projectId)).filter((f) => f.path === 'src/seeded.js');
    assert.equal(after.length, before.length);
    for (const old of before) {
      const moved = after.find((f) => f.fingerprint === old.fingerprint);
      assert.ok(moved, `${old.ruleId} lost its identity`);
      assert.equal(moved.id, old.id);
      assert.equal(moved.range.startLine, old.range.startLine + 3);
      assert.equal(moved.firstSeenSnapshotId, firstSnapshot);
      assert.equal(moved.lastSeenSnapshotId, snapshotId);
    }
  });

  it('re-analysis of the same snapshot within 3 minutes returns the same run (dedup flag)', async () => {
    const latest = await uploadWorkspace(nyx.url, alice, projectId, files);
    const first = await analyze(nyx.url, alice, projectId, { snapshotId: latest.snapshotId });
    const again = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: alice.token, body: { snapshotId: latest.snapshotId } });
    assert.equal(again.status, 200);
    assert.equal(again.body.deduplicated, true);
    assert.equal(again.body.id, first.run.id);
  });

  it('a finding removed from its file becomes fixed, and open again when it comes back', async () => {
    const original = textOf(files, 'src/seeded.js');
    const target = (await findings(nyx.url, alice, projectId)).find((f) => f.ruleId === 'nyx/dangerous/dynamic-eval')!;
    assert.ok(target);
    const lines = original.split('\n');
    lines[target.range.startLine - 1] = '  // (removed)';
    const edited = replace(files, 'src/seeded.js', lines.join('\n'));
    const removed = await analyze(nyx.url, alice, projectId, { snapshotId: (await uploadWorkspace(nyx.url, alice, projectId, edited)).snapshotId });
    assert.ok(removed.result.fixed >= 1);
    const fixed = (await findings(nyx.url, alice, projectId, '?status=fixed')).find((f) => f.id === target.id);
    assert.equal(fixed?.status, 'fixed');
    assert.ok(!(await findings(nyx.url, alice, projectId)).some((f) => f.id === target.id), 'fixed findings are not listed as open');
    const back = await analyze(nyx.url, alice, projectId, { snapshotId: (await uploadWorkspace(nyx.url, alice, projectId, files)).snapshotId });
    assert.ok(back.result.opened >= 1);
    assert.equal((await findings(nyx.url, alice, projectId)).find((f) => f.id === target.id)?.status, 'open');
  });

  it('dismiss is for the team (live event to a teammate), survives re-analysis, and reopen brings it back', async () => {
    const mate = await createTeammate(nyx, alice.tenantId);
    const received: SseMessage[] = [];
    const stream = await openSubscribedStream(nyx, { url: `${nyx.url}/api/v1/events`, headers: { authorization: `Bearer ${mate.token}` }, onMessage: (m) => received.push(m) });
    try {
      const target = (await findings(nyx.url, alice, projectId, '?severity=warning'))[0]!;
      assert.equal((await api(nyx.url, 'POST', `/api/v1/findings/${target.id}/dismiss`, { token: alice.token, body: { reason: '' } })).status, 400);
      const dismissed = await api(nyx.url, 'POST', `/api/v1/findings/${target.id}/dismiss`, { token: alice.token, body: { reason: 'test double, never shipped' } });
      assert.equal(dismissed.status, 200, JSON.stringify(dismissed.body));
      assert.equal(dismissed.body.status, 'dismissed');
      assert.equal(dismissed.body.dismissedBy, alice.userId);
      assert.equal(dismissed.body.dismissedReason, 'test double, never shipped');
      const notice = await waitFor('the findings.changed event', async () => received.find((m) => m.event === FINDINGS_CHANGED_EVENT && JSON.parse(m.data).cause === 'dismiss'));
      assert.deepEqual(JSON.parse(notice.data), { projectId, cause: 'dismiss', findingIds: [target.id], runId: null });
      assert.ok(!(await findings(nyx.url, mate, projectId)).some((f) => f.id === target.id), 'dismissed findings leave the open list for everyone');

      await analyze(nyx.url, alice, projectId, { snapshotId: (await uploadWorkspace(nyx.url, alice, projectId, [...files, { path: 'new.js', content: 'x();\n' }])).snapshotId });
      assert.equal((await api(nyx.url, 'GET', `/api/v1/findings/${target.id}`, { token: mate.token })).body.status, 'dismissed');
      await waitFor('an analysis findings.changed event', async () => received.find((m) => m.event === FINDINGS_CHANGED_EVENT && JSON.parse(m.data).cause === 'analysis'));

      const reopened = await api(nyx.url, 'POST', `/api/v1/findings/${target.id}/reopen`, { token: mate.token });
      assert.equal(reopened.status, 200);
      assert.equal(reopened.body.status, 'open');
      assert.equal(reopened.body.dismissedBy, null);
      assert.equal((await api(nyx.url, 'POST', `/api/v1/findings/${target.id}/reopen`, { token: mate.token })).status, 409);
    } finally {
      stream.close();
    }
  });

  it('filters by path, severity, rule and status', async () => {
    const all = await findings(nyx.url, alice, projectId, '?status=all');
    const byPath = await findings(nyx.url, alice, projectId, '?path=src/metrics.js');
    assert.ok(byPath.length > 0 && byPath.every((f) => f.path === 'src/metrics.js'));
    const errors = await findings(nyx.url, alice, projectId, '?severity=error');
    assert.ok(errors.length > 0 && errors.every((f) => f.severity === 'error'));
    const rule = await findings(nyx.url, alice, projectId, `?ruleId=${encodeURIComponent('nyx/maintainability/function-length')}`);
    assert.ok(rule.length > 0 && rule.every((f) => f.ruleId === 'nyx/maintainability/function-length'));
    assert.ok(all.length > byPath.length);
    assert.equal((await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings?severity=fatal`, { token: alice.token })).status, 400);
  });

  it('another tenant gets 404 for the project, its findings and dismissals, and cannot use its blobs', async () => {
    const bob = await createTestTenant(nyx, 'intruder');
    const target = (await findings(nyx.url, alice, projectId))[0]!;
    assert.equal((await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/findings`, { token: bob.token })).status, 404);
    assert.equal((await api(nyx.url, 'GET', `/api/v1/findings/${target.id}`, { token: bob.token })).status, 404);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/findings/${target.id}/dismiss`, { token: bob.token, body: { reason: 'mine now' } })).status, 404);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: bob.token, body: { snapshotId: firstSnapshot } })).status, 404);
    const bobProject = await createProject(nyx.url, bob, 'bob');
    const manifest = [{ path: 'src/seeded.js', sha256: (await import('./helpers.ts')).sha256(files.find((f) => f.path === 'src/seeded.js')!.content), size: 1 }];
    const check = await api(nyx.url, 'POST', `/api/v1/projects/${bobProject}/snapshots/check`, { token: bob.token, body: { files: manifest } });
    assert.deepEqual(check.body.missing, [manifest[0]!.sha256], "alice's blob is not bob's");
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${bobProject}/snapshots`, { token: bob.token, body: { files: manifest } })).status, 409);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${bobProject}/analyses`, { token: bob.token, body: { snapshotId: firstSnapshot } })).status, 404);
  });
});
