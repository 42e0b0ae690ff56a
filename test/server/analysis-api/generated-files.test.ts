import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

const bundleLine = `var a=function(b){return eval(b)};${'var x=1;'.repeat(400)}\n`;

/** The same eval in a hand-written file, a vendored copy, a minified bundle and a file of long lines. */
const files: WorkspaceFile[] = [
  { path: 'src/app.js', content: 'const out = eval(input);\n' },
  { path: 'node_modules/lib/index.js', content: 'const out = eval(input);\n' },
  { path: 'vendor/jquery.js', content: 'const out = eval(input);\n' },
  { path: 'public/app.min.js', content: 'const out = eval(input);\n' },
  { path: 'public/app.js', content: bundleLine + 'const k = "AKIAQ3EGRJ7ZK2M5TXWB";\n' },
];

describe('analysis API: minified and vendored files', () => {
  let nyx: TestNyx;
  let alice: TestTenant;
  let projectId: string;
  let snapshotId: string;

  before(async () => {
    nyx = await sharedNyx();
    alice = await createTestTenant(nyx, 'generated');
    projectId = await createProject(nyx.url, alice, 'generated');
    snapshotId = (await uploadWorkspace(nyx.url, alice, projectId, files)).snapshotId;
  });

  it('skips them by default: vendored files get nothing, minified files only the secret scan', async () => {
    await analyze(nyx.url, alice, projectId, { snapshotId });
    const found = (await findings(nyx.url, alice, projectId)).map((f) => `${f.path} ${f.ruleId}`).sort();
    assert.deepEqual(found, ['public/app.js nyx/secrets/aws-access-key', 'src/app.js nyx/dangerous/dynamic-eval']);
  });

  it('analyzes them with includeGenerated: true, from a cache entry of its own', async () => {
    const { result } = await analyze(nyx.url, alice, projectId, { snapshotId, includeGenerated: true });
    assert.equal(result.cacheHits, 0, 'results without generated files are not reused');
    const evals = (await findings(nyx.url, alice, projectId, '?ruleId=nyx/dangerous/dynamic-eval')).map((f) => f.path).sort();
    assert.deepEqual(evals, ['node_modules/lib/index.js', 'public/app.js', 'public/app.min.js', 'src/app.js', 'vendor/jquery.js']);
  });

  it('going back to the default marks the generated files\' findings fixed', async () => {
    const { result } = await analyze(nyx.url, alice, projectId, { snapshotId, includeGenerated: false });
    assert.equal(result.cacheHits, files.length, 'the default run was cached');
    assert.equal(result.fixed, 4);
  });

  it('rejects a non-boolean includeGenerated with a 400 naming the field', async () => {
    const response = await api(nyx.url, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: alice.token, body: { snapshotId, includeGenerated: 'yes' } });
    assert.equal(response.status, 400);
    assert.match(JSON.stringify(response.body), /includeGenerated/);
  });
});
