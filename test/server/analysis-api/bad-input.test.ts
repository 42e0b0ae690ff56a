import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import { analyze, findings, manifestOf, sha256, uploadWorkspace } from './helpers.ts';

const MAX_BLOB = 64 * 1024;

describe('analysis API: bad input gets a clear 4xx and writes nothing', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;

  const counts = async () => {
    const [row] = await nyx.database.orm.em.fork().execute<{ blobs: string; snapshots: string }[]>(
      `select (select count(*) from blobs where tenant_id = ?) as blobs, (select count(*) from snapshots where tenant_id = ?) as snapshots`,
      [alice.tenantId, alice.tenantId],
    );
    return { blobs: Number(row!.blobs), snapshots: Number(row!.snapshots) };
  };
  const putBlob = (hash: string, body: Uint8Array, token = alice.token) =>
    fetch(`${nyx.url}/api/v1/blobs/${hash}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: Buffer.from(body) });
  const snapshot = (files: unknown, path = `/api/v1/projects/${projectId}/snapshots`) => api(nyx.url, 'POST', path, { token: alice.token, body: { files } });

  before(async () => {
    nyx = await startTestNyx({ maxBlobBytes: MAX_BLOB });
    alice = await createTestTenant(nyx, 'bad');
    projectId = await createProject(nyx.url, alice, 'bad-input');
  });
  after(() => nyx?.close());

  it('refuses a file over the size limit by name, in the manifest and on upload', async () => {
    const before = await counts();
    const huge = Buffer.alloc(MAX_BLOB + 1, 'a');
    const manifest = [{ path: 'ok.js', sha256: sha256('x'), size: 1 }, { path: 'dist/bundle.min.js', sha256: sha256(huge), size: huge.length }];
    const check = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/snapshots/check`, { token: alice.token, body: { files: manifest } });
    assert.equal(check.status, 413);
    assert.match(check.body.detail, /dist\/bundle\.min\.js/);
    assert.equal(check.body.field, 'files.1.size');
    const upload = await putBlob(sha256(huge), huge);
    assert.equal(upload.status, 413);
    assert.match((await upload.json()).detail, /over the limit of 65536 bytes/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses binary content and a body whose hash does not match its name', async () => {
    const before = await counts();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const binary = await putBlob(sha256(png), png);
    assert.equal(binary.status, 422);
    assert.match((await binary.json()).detail, /binary/);
    const mismatch = await putBlob(sha256('something else'), Buffer.from('const a = 1;\n'));
    assert.equal(mismatch.status, 400);
    assert.match((await mismatch.json()).detail, /sha256 is [0-9a-f]{64}, not/);
    assert.equal((await putBlob('NOT-A-HASH', Buffer.from('x'))).status, 400);
    assert.deepEqual(await counts(), before);
  });

  const badPaths: [string, RegExp][] = [
    ['../etc/passwd', /".." segments/],
    ['src/../../secret', /".." segments/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/win.ini', /absolute/],
    ['src\\win.js', /backslashes/],
    // NUL and lone surrogates are refused by the JSON boundary before the path rules (docs/security.md).
    ['a\u0000b.js', /must not contain NUL characters/],
    ['bad-\ud800.js', /must not contain lone UTF-16 surrogates/],
    ['x/'.repeat(600) + 'a.js', /at most 1024/],
    ['src//a.js', /empty or "\." segments/],
  ];
  for (const [path, message] of badPaths) {
    it(`refuses the path ${JSON.stringify(path.slice(0, 30))} with a 400 naming the field`, async () => {
      const before = await counts();
      const response = await snapshot([{ path, sha256: sha256('x'), size: 1 }]);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.match(response.body.detail, message);
      assert.equal(response.body.field, 'files.0.path');
      assert.deepEqual(await counts(), before);
    });
  }

  it('refuses a manifest naming the same path twice, a blob never uploaded, and a wrong size', async () => {
    const before = await counts();
    const dup = await snapshot([{ path: 'a.js', sha256: sha256('x'), size: 1 }, { path: 'a.js', sha256: sha256('y'), size: 1 }]);
    assert.equal(dup.status, 400);
    assert.match(dup.body.detail, /listed twice/);
    const missing = await snapshot([{ path: 'never.js', sha256: sha256('never uploaded'), size: 14 }]);
    assert.equal(missing.status, 409);
    assert.match(missing.body.detail, /never\.js/);
    assert.deepEqual(await counts(), before);
    assert.equal((await putBlob(sha256('x'), Buffer.from('x'))).status, 201);
    assert.equal((await putBlob(sha256('x'), Buffer.from('x'))).status, 200, 'a second upload of a blob is a no-op');
    const wrongSize = await snapshot([{ path: 'x.js', sha256: sha256('x'), size: 5 }]);
    assert.equal(wrongSize.status, 400);
    assert.match(wrongSize.body.detail, /x\.js is 1 bytes on the server, not 5/);
  });

  it('answers 404 for an unknown project and an unknown snapshot, and 400 for a rule that does not exist', async () => {
    const unknown = randomUUID();
    assert.equal((await snapshot([], `/api/v1/projects/${unknown}/snapshots`)).status, 404);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${unknown}/snapshots/check`, { token: alice.token, body: { files: [] } })).status, 404);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${unknown}/analyses`, { token: alice.token, body: { snapshotId: randomUUID() } })).status, 404);
    assert.equal((await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: alice.token, body: { snapshotId: randomUUID() } })).status, 404);
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, [{ path: 'a.js', content: 'eval(x);\n' }]);
    const badRule = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: alice.token, body: { snapshotId, rules: ['nyx/nope/'] } });
    assert.equal(badRule.status, 400);
    assert.equal(badRule.body.field, 'rules.0');
  });

  it('analyzes a file with invalid UTF-8 content into one not-utf8 finding, and honours a rule subset', async () => {
    const latin1 = Buffer.from('const caf\xe9 = 1;\n', 'latin1');
    const files = [{ path: 'latin1.js', content: latin1 }, { path: 'e.js', content: 'eval(userInput);\n// TODO: remove\n' }];
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, files);
    assert.equal(manifestOf(files).length, 2);
    await analyze(nyx.url, alice, projectId, { snapshotId, rules: ['nyx/input/', 'nyx/dangerous/dynamic-eval'] });
    const stored = await findings(nyx.url, alice, projectId);
    assert.deepEqual(stored.map((f) => `${f.path} ${f.ruleId}`).sort(), ['e.js nyx/dangerous/dynamic-eval', 'latin1.js nyx/input/not-utf8']);
  });
});
