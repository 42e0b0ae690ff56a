import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NyxClient } from '../../../extension/api/client.ts';
import { IncrementalAnalysis } from '../../../extension/analysis/incremental-analysis.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import { analyze, findings, manifestOf, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

/**
 * The editor's on-save client (extension/analysis/incremental-analysis.ts) against the real server:
 * after "Analyze Workspace" a save is one snapshot request on the window's last snapshot, and a base
 * the server no longer knows costs a fallback, never an error.
 */

const EVAL = 'nyx/dangerous/dynamic-eval';
const FILES: WorkspaceFile[] = [
  { path: 'src/a.js', content: 'export const a = () => 1;\n' },
  { path: 'src/b.js', content: 'export function b(code) {\n  return eval(code);\n}\n' },
  { path: 'src/c.py', content: 'def c():\n    return 3\n' },
];

/** A NyxClient that records which of its methods the editor's code called, in order. */
function recordingClient(nyx: TestNyx, who: TestTenant): { client: NyxClient; calls: string[] } {
  const calls: string[] = [];
  const client = new NyxClient(nyx.url, who.token);
  const recorded = new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls.push(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client: recorded, calls };
}

describe("analysis API: the editor's on-save client builds on its last snapshot", () => {
  let nyx: TestNyx;
  let who: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    who = await createTestTenant(nyx, 'editor-incremental');
  });

  it('sends one snapshot request with the saved file inline, and each save builds on the one before', async () => {
    const projectId = await createProject(nyx.url, who, 'on save');
    const { snapshotId } = await uploadWorkspace(nyx.url, who, projectId, FILES);
    await analyze(nyx.url, who, projectId, { snapshotId });
    const { client, calls } = recordingClient(nyx, who);
    const live = new IncrementalAnalysis(client, projectId, manifestOf(FILES), snapshotId);

    const first = await live.analyze([{ path: 'src/a.js', content: Buffer.from('export const a = (x) => eval(x);\n') }]);
    assert.deepEqual(calls.filter((call) => call !== 'serverUrl' && call !== 'token'), ['createSnapshot', 'startAnalysis'], 'no check, no blob upload');
    assert.equal(first.done.status, 'succeeded');
    assert.equal(first.uploaded, 1);
    assert.equal(first.result?.analyzed, 1, 'only the saved file was analyzed');
    assert.ok(first.result?.incremental, 'the run was incremental');
    assert.equal(first.snapshot.fileCount, FILES.length, 'the snapshot is still the whole folder');

    calls.length = 0;
    const second = await live.analyze([{ path: 'src/b.js', content: Buffer.from('export const b = () => 2;\n') }]);
    assert.deepEqual(calls.filter((call) => call !== 'serverUrl' && call !== 'token'), ['createSnapshot', 'startAnalysis']);
    assert.equal(second.result?.analyzed, 1);
    // Both edits count: a.js gained its eval, b.js lost its own.
    const open = (await findings(nyx.url, who, projectId, '?status=open')).filter((finding) => finding.ruleId === EVAL).map((finding) => finding.path);
    assert.deepEqual(open, ['src/a.js']);
  });

  it('falls back to the whole manifest when the server does not know the base snapshot', async () => {
    const projectId = await createProject(nyx.url, who, 'lost base');
    await uploadWorkspace(nyx.url, who, projectId, FILES);
    const { client, calls } = recordingClient(nyx, who);
    const live = new IncrementalAnalysis(client, projectId, manifestOf(FILES), randomUUID());

    const outcome = await live.analyze([{ path: 'src/c.py', content: Buffer.from('def c():\n    return eval(input())\n') }]);
    const made = calls.filter((call) => call !== 'serverUrl' && call !== 'token');
    assert.deepEqual(made, ['createSnapshot', 'checkSnapshot', 'uploadBlobs', 'createSnapshot', 'startAnalysis'], made.join(', '));
    assert.equal(outcome.done.status, 'succeeded');
    assert.equal(outcome.snapshot.fileCount, FILES.length);
  });
});
