import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { openSubscribedStream } from '../helpers/event-stream.ts';
import { createProject, waitFor } from '../runs/helpers.ts';
import { fixtureFiles } from '../analysis/fixture-repo.ts';
import { analyze, findings, uploadWorkspace } from '../analysis-api/helpers.ts';
import { FINDINGS_CHANGED_EVENT, type StoredFinding } from '#protocol/analysis.ts';
import type { TriageHistory } from '#protocol/triage.ts';
import type { SseMessage } from '#protocol/sse-client.ts';

describe('triage: false positive, won\'t fix, accepted, reopened, undo and history', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;
  let open: StoredFinding[];

  const triage = (who: TestTenant, id: string, body: unknown) => api<StoredFinding>(nyx.url, 'POST', `/api/v1/findings/${id}/triage`, { token: who.token, body });
  const undo = (who: TestTenant, id: string) => api<StoredFinding>(nyx.url, 'POST', `/api/v1/findings/${id}/triage/undo`, { token: who.token });
  const history = (who: TestTenant, id: string) => api<TriageHistory>(nyx.url, 'GET', `/api/v1/findings/${id}/triage`, { token: who.token });

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'triage');
    projectId = await createProject(nyx.url, alice, 'triage');
    const files = fixtureFiles('js');
    await analyze(nyx.url, alice, projectId, { snapshotId: (await uploadWorkspace(nyx.url, alice, projectId, files)).snapshotId });
    open = await findings(nyx.url, alice, projectId);
    assert.ok(open.length >= 4, 'the fixture has findings to triage');
  });

  it('a false positive is dismissed with its resolution, live for a teammate, kept in the history, and listed as dismissed', async () => {
    const mate = await createTeammate(nyx, alice.tenantId);
    const received: SseMessage[] = [];
    const stream = await openSubscribedStream(nyx, { url: `${nyx.url}/api/v1/events`, headers: { authorization: `Bearer ${mate.token}` }, onMessage: (m) => received.push(m) });
    try {
      const target = open[0]!;
      const changed = await triage(alice, target.id, { status: 'false-positive', reason: 'the input is a constant' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.status, 'dismissed');
      assert.equal(changed.body.resolution, 'false-positive');
      assert.equal(changed.body.dismissedReason, 'the input is a constant');
      assert.equal(changed.body.dismissedBy, alice.userId);
      const notice = await waitFor('the findings.changed notice', async () => received.find((m) => m.event === FINDINGS_CHANGED_EVENT && JSON.parse(m.data).cause === 'triage'));
      assert.deepEqual(JSON.parse(notice.data), { projectId, cause: 'triage', findingIds: [target.id], runId: null });
      assert.ok(!(await findings(nyx.url, mate, projectId)).some((f) => f.id === target.id), 'it left the open list');
      const dismissed = await findings(nyx.url, mate, projectId, '?status=dismissed');
      assert.equal(dismissed.find((f) => f.id === target.id)?.resolution, 'false-positive');
      const kept = await history(mate, target.id);
      assert.equal(kept.status, 200);
      assert.equal(kept.body.items.length, 1);
      assert.deepEqual(
        { action: kept.body.items[0]!.action, reason: kept.body.items[0]!.reason, by: kept.body.items[0]!.by, previous: kept.body.items[0]!.previous.status, undoneAt: kept.body.items[0]!.undoneAt },
        { action: 'false-positive', reason: 'the input is a constant', by: alice.userId, previous: 'open', undoneAt: null },
      );
    } finally {
      stream.close();
    }
  });

  it('undo restores the state before the newest change, step by step, and says when there is nothing left', async () => {
    const target = open[1]!;
    assert.equal((await triage(alice, target.id, { status: 'wont-fix', reason: 'legacy module, removed next quarter' })).body.resolution, 'wont-fix');
    assert.equal((await triage(alice, target.id, { status: 'reopened' })).body.status, 'open');
    const accepted = await triage(alice, target.id, { status: 'accepted', reason: 'behind the VPN' });
    assert.equal(accepted.body.resolution, 'accepted');

    const first = await undo(alice, target.id);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual([first.body.status, first.body.resolution, first.body.dismissedReason], ['open', null, null], 'back to reopened');
    const second = await undo(alice, target.id);
    assert.deepEqual([second.body.status, second.body.resolution, second.body.dismissedReason], ['dismissed', 'wont-fix', 'legacy module, removed next quarter'], 'back to won\'t fix, with its reason');
    const third = await undo(alice, target.id);
    assert.equal(third.body.status, 'open');
    const none = await undo(alice, target.id);
    assert.equal(none.status, 409);
    assert.match(JSON.stringify(none.body), /no triage change to undo/);

    const kept = (await history(alice, target.id)).body.items;
    assert.deepEqual(kept.map((entry) => entry.action), ['wont-fix', 'reopened', 'accepted']);
    assert.ok(kept.every((entry) => entry.undoneBy === alice.userId && entry.undoneAt), 'every change is marked undone, and kept');
  });

  it('the old dismiss and reopen routes are triage changes too (accepted unless they say otherwise)', async () => {
    const target = open[2]!;
    const dismissed = await api<StoredFinding>(nyx.url, 'POST', `/api/v1/findings/${target.id}/dismiss`, { token: alice.token, body: { reason: 'test double' } });
    assert.equal(dismissed.status, 200);
    assert.equal(dismissed.body.resolution, 'accepted');
    const reopened = await api<StoredFinding>(nyx.url, 'POST', `/api/v1/findings/${target.id}/reopen`, { token: alice.token });
    assert.equal(reopened.body.resolution, null);
    const asFalsePositive = await api<StoredFinding>(nyx.url, 'POST', `/api/v1/findings/${target.id}/dismiss`, { token: alice.token, body: { reason: 'not reachable', resolution: 'false-positive' } });
    assert.equal(asFalsePositive.body.resolution, 'false-positive');
    assert.deepEqual((await history(alice, target.id)).body.items.map((entry) => entry.action), ['accepted', 'reopened', 'false-positive']);
  });

  it('bad input is a 400 naming the field, and nothing is written', async () => {
    const target = open[3]!;
    const cases: Array<[unknown, string]> = [
      [{ status: 'ignored', reason: 'x' }, 'status'],
      [{ status: 'false-positive' }, 'reason'],
      [{ status: 'accepted', reason: '   ' }, 'reason'],
      [{ status: 'accepted', reason: 'x', extra: true }, 'extra'],
      [{ status: 'accepted', reason: 'x'.repeat(2001) }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const answer = await triage(alice, target.id, body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)} -> ${answer.status}`);
      assert.match(JSON.stringify(answer.body), new RegExp(field), `the problem names ${field}: ${JSON.stringify(answer.body)}`);
    }
    assert.equal((await triage(alice, 'not-a-uuid', { status: 'accepted', reason: 'x' })).status, 400);
    assert.equal((await history(alice, target.id)).body.items.length, 0, 'nothing was written');
    assert.equal((await api(nyx.url, 'GET', `/api/v1/findings/${target.id}`, { token: alice.token })).body.status, 'open');
    const reopenOpen = await triage(alice, target.id, { status: 'reopened' });
    assert.equal(reopenOpen.status, 409, 'only a dismissed finding can be reopened');
  });

  it('another tenant gets 404 for triage, undo and history, and changes nothing', async () => {
    const bob = await createTestTenant(nyx, 'triage-intruder');
    const target = open[3]!;
    assert.equal((await triage(bob, target.id, { status: 'false-positive', reason: 'mine now' })).status, 404);
    assert.equal((await undo(bob, target.id)).status, 404);
    assert.equal((await history(bob, target.id)).status, 404);
    assert.equal((await api(nyx.url, 'GET', `/api/v1/findings/${target.id}`, { token: alice.token })).body.status, 'open');
  });
});
