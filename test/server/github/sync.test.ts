import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import { startFakeGithub, type FakeGithub } from '../../fakes/github-server.ts';
import { hashRunInput } from '#server/modules/runs/engine/input-hash.ts';
import type { GithubSyncResult } from '#protocol/github.ts';
import type { Run } from '#protocol/runs.ts';
import { findings } from '../analysis-api/helpers.ts';

const TOKEN = 'ghp_fakeTokenForLoopbackTests1234567890';

const repoFiles = {
  'README.md': '# demo\n',
  'app/main.py': 'import os\n\ndef run(name):\n    os.system("rm -rf " + name)\n',
  'app/util.py': 'def add(a, b):\n    return a + b\n',
  'web/index.js': 'export function show(el, html) {\n  el.innerHTML = html;\n}\n',
  'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
};

describe('GitHub import and sync against a loopback GitHub', () => {
  let nyx: TestNyx;
  let github: FakeGithub;
  let alice: TestTenant;

  const createLinkedProject = async (who: TestTenant, body: Record<string, unknown>) => {
    const response = await api(nyx.url, 'POST', '/api/v1/projects', { token: who.token, body: { name: `gh-${randomUUID().slice(0, 8)}`, ...body } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body.id as string;
  };
  const sync = async (who: TestTenant, projectId: string, body: Record<string, unknown> = { nonce: randomUUID() }) => {
    const response = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/github/sync`, { token: who.token, body });
    assert.ok(response.status === 201 || response.status === 200, JSON.stringify(response.body));
    return waitForFinalRun(nyx.url, who, response.body.id, 30_000);
  };
  const snapshotPaths = async (snapshotId: string) => {
    const [row] = await nyx.database.orm.em.fork().execute<{ files: { path: string }[] }[]>(`select files from snapshots where id = ?`, [snapshotId]);
    return row!.files.map((file) => file.path);
  };

  before(async () => {
    nyx = await sharedNyx();
    github = await startFakeGithub({ token: TOKEN });
    github.setRepo('acme', 'demo', repoFiles);
    alice = await createTestTenant(nyx, 'gh');
    const put = await api(nyx.url, 'PUT', '/api/v1/github/token', { token: alice.token, body: { token: TOKEN, baseUrl: github.url } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
  });
  after(() => github?.close());

  it('stores the token encrypted and never returns it', async () => {
    const info = await api(nyx.url, 'GET', '/api/v1/github/token', { token: alice.token });
    assert.deepEqual({ configured: info.body.configured, tokenHint: info.body.tokenHint, baseUrl: info.body.baseUrl }, { configured: true, tokenHint: '…7890', baseUrl: github.url });
    assert.ok(!JSON.stringify(info.body).includes(TOKEN));
    const [row] = await nyx.database.orm.em.fork().execute<{ encrypted_token: string }[]>(`select encrypted_token from github_credentials where tenant_id = ?`, [alice.tenantId]);
    assert.match(row!.encrypted_token, /^v1\./);
    assert.ok(!row!.encrypted_token.includes(TOKEN));
  });

  it('imports a repository (binaries skipped), then analyzes it automatically when the project asks for it', async () => {
    const projectId = await createLinkedProject(alice, { github: { owner: 'acme', repo: 'demo' }, settings: { autoAnalyze: true } });
    const run = await sync(alice, projectId);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const result = run.result as GithubSyncResult;
    assert.equal(result.branch, 'main');
    assert.equal(result.scanPath, '/');
    assert.equal(result.files, 4);
    assert.equal(result.skipped, 1, 'the PNG is left out');
    assert.deepEqual(await snapshotPaths(result.snapshotId), ['README.md', 'app/main.py', 'app/util.py', 'web/index.js']);
    assert.ok(result.analysisRunId);
    const analysis = await waitForFinalRun(nyx.url, alice, result.analysisRunId, 30_000);
    assert.equal(analysis.status, 'succeeded', analysis.error ?? '');
    const found = (await findings(nyx.url, alice, projectId)).map((f) => `${f.path}:${f.range.startLine} ${f.ruleId}`).sort();
    assert.deepEqual(found, ['app/main.py:4 nyx/dangerous/shell-injection', 'web/index.js:2 nyx/dangerous/inner-html']);
    const syncs = await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/github/syncs`, { token: alice.token });
    assert.equal(syncs.body.items.length, 1);
    assert.equal(syncs.body.items[0].commitSha, result.commitSha);
  });

  it('syncs incrementally: only blobs whose git sha changed are downloaded', async () => {
    github.setRepo('acme', 'incremental', repoFiles);
    const projectId = await createLinkedProject(alice, { github: { owner: 'acme', repo: 'incremental', branch: 'main' } });
    await sync(alice, projectId);
    github.setRepo('acme', 'incremental', { ...repoFiles, 'app/util.py': 'def add(a, b):\n    return b + a\n', 'app/new.py': 'x = 1\n' });
    const downloadsBefore = github.blobDownloads();
    const run = await sync(alice, projectId);
    const result = run.result as GithubSyncResult;
    assert.equal(github.blobDownloads() - downloadsBefore, 2, 'the changed and the added file only');
    assert.equal(result.fetched, 2);
    assert.equal(result.reused, 4, 'README, main.py, index.js and the known binary');
    assert.ok((await snapshotPaths(result.snapshotId)).includes('app/new.py'));
    const syncs = (await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/github/syncs`, { token: alice.token })).body.items;
    assert.equal(syncs[0].previousSyncId, syncs[1].id);
  });

  it('syncs only the scan path, keeping repository-relative paths', async () => {
    const projectId = await createLinkedProject(alice, { github: { owner: 'acme', repo: 'demo' }, scanPath: 'app/' });
    const run = await sync(alice, projectId);
    const result = run.result as GithubSyncResult;
    assert.equal(result.scanPath, '/app');
    assert.deepEqual(await snapshotPaths(result.snapshotId), ['app/main.py', 'app/util.py']);
  });

  it('an orphaned sync (no heartbeat for over 10 minutes) is swept and does not block the next one', async () => {
    const projectId = await createLinkedProject(alice, { github: { owner: 'acme', repo: 'demo' } });
    await sync(alice, projectId);
    const input = { owner: 'acme', repo: 'demo', branch: null, scanPath: '' };
    const orphanId = randomUUID();
    await nyx.database.orm.em.fork().execute(
      `insert into runs (id, tenant_id, project_id, kind, input, input_hash, status, attempts, lease_owner, lease_expires_at, heartbeat_at, created_by, created_at, updated_at, started_at)
       values (?, ?, ?, 'github-sync', ?::jsonb, ?, 'running', 1, 'a-server-that-died', now() - interval '10 minutes', now() - interval '11 minutes', ?, now() - interval '12 minutes', now() - interval '11 minutes', now() - interval '12 minutes')`,
      [orphanId, alice.tenantId, projectId, JSON.stringify(input), hashRunInput(input), alice.userId],
    );
    const next = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/github/sync`, { token: alice.token, body: {} });
    assert.equal(next.status, 201, JSON.stringify(next.body));
    assert.notEqual(next.body.id, orphanId, 'the orphan must not be returned as the active equal run');
    const orphan = (await api<Run>(nyx.url, 'GET', `/api/v1/runs/${orphanId}`, { token: alice.token })).body;
    assert.equal(orphan.status, 'failed');
    assert.match(orphan.error ?? '', /No heartbeat/);
    const finished = await waitForFinalRun(nyx.url, alice, next.body.id, 30_000);
    assert.equal(finished.status, 'succeeded', finished.error ?? '');
    const syncs = (await api(nyx.url, 'GET', `/api/v1/projects/${projectId}/github/syncs`, { token: alice.token })).body.items;
    assert.equal(syncs.length, 2);
    assert.equal(syncs[0].previousSyncId, syncs[1].id);
  });

  it('a bad token and a missing repository fail the run with a clear reason', async () => {
    const bob = await createTestTenant(nyx, 'gh-bad');
    await api(nyx.url, 'PUT', '/api/v1/github/token', { token: bob.token, body: { token: 'ghp_wrong', baseUrl: github.url } });
    const badToken = await sync(bob, await createLinkedProject(bob, { github: { owner: 'acme', repo: 'demo' } }));
    assert.equal(badToken.status, 'failed');
    assert.match(badToken.error ?? '', /GitHub rejected the token \(401 Bad credentials\)/);
    const missing = await sync(alice, await createLinkedProject(alice, { github: { owner: 'acme', repo: 'nope' } }));
    assert.equal(missing.status, 'failed');
    assert.match(missing.error ?? '', /acme\/nope \(404 Not Found\)/);
    const noBranch = await sync(alice, await createLinkedProject(alice, { github: { owner: 'acme', repo: 'demo', branch: 'gone' } }));
    assert.match(noBranch.error ?? '', /branch "gone".*404/);
  });

  it('refuses to start without a link or a token (4xx, no run), and hides other tenants\' projects', async () => {
    const unlinked = await createLinkedProject(alice, {});
    const noLink = await api(nyx.url, 'POST', `/api/v1/projects/${unlinked}/github/sync`, { token: alice.token, body: {} });
    assert.equal(noLink.status, 400);
    assert.equal(noLink.body.field, 'github');
    const carol = await createTestTenant(nyx, 'gh-none');
    const carolProject = await createLinkedProject(carol, { github: { owner: 'acme', repo: 'demo' } });
    const noToken = await api(nyx.url, 'POST', `/api/v1/projects/${carolProject}/github/sync`, { token: carol.token, body: {} });
    assert.equal(noToken.status, 409);
    assert.match(noToken.body.detail, /PUT \/api\/v1\/github\/token/);
    const runs = await api(nyx.url, 'GET', `/api/v1/runs?projectId=${carolProject}`, { token: carol.token });
    assert.deepEqual(runs.body.items, []);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${carolProject}/github/sync`, { token: alice.token, body: {} })).status, 404);
  });
});
