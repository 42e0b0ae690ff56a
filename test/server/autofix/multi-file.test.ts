import assert from 'node:assert/strict';
import type { TestNyx } from '../helpers/nyx.ts';
import { api } from '../helpers/http.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import type { AutofixState } from '#protocol/autofix.ts';
import { fileRef, finished, modelAnswer, modelFixture, reportApplied, start, succeeded, textOf, type FixtureProject } from './helpers.ts';

const LIST_DIR = "  execFile('ls', ['-la', dir], done);";
const FIRST_ROW = '  out.push(rows[0]);';

describe('refactor proposals that change several files', () => {
  let nyx: TestNyx;
  let fake: FakeOpenAI;
  let project: FixtureProject;
  const files = () => [fileRef(project, 'src/clean.js'), fileRef(project, 'src/metrics.js')];
  const refactors = () => `/api/v1/projects/${project.projectId}/refactors`;

  before(async () => ({ nyx, fake, project } = await modelFixture('afx-multi')));
  after(() => fake.close());

  it('proposes one patch per file against its own base, and records each file once however the editor reports them', async () => {
    fake.plan({
      json: JSON.parse(
        modelAnswer('Name the ls arguments and the first row in both modules.', [
          { path: 'src/metrics.js', edits: [{ search: FIRST_ROW, replace: '  const first = rows[0];\n  out.push(first);' }] },
          { path: 'src/clean.js', edits: [{ search: LIST_DIR, replace: "  const args = ['-la', dir];\n  execFile('ls', args, done);" }] },
        ]),
      ),
    });
    const run = await start(nyx, project.who, refactors(), { files: files(), instruction: 'name the magic values' });
    const result = await succeeded(nyx, project.who, run.id);

    // In the order the run was given the files, each with its own base hash and complete new text.
    assert.deepEqual(result.files.map((f) => f.path), ['src/clean.js', 'src/metrics.js']);
    for (const [patch, ref] of result.files.map((f, i) => [f, files()[i]!] as const)) assert.equal(patch.baseBlobHash, ref.blobHash);
    const [clean, metrics] = result.files;
    assert.equal(clean!.newContent, textOf(project, 'src/clean.js').replace(LIST_DIR, "  const args = ['-la', dir];\n  execFile('ls', args, done);"));
    assert.equal(metrics!.newContent, textOf(project, 'src/metrics.js').replace(FIRST_ROW, '  const first = rows[0];\n  out.push(first);'));
    assert.equal(clean!.edits[0]!.range.startLine, 8);
    assert.equal(metrics!.edits[0]!.range.startLine, 3);
    assert.ok(clean!.syntaxChecked && metrics!.syntaxChecked);

    // The editor applies one file, then both (e.g. a retry after a reload): each is recorded once.
    const first = await reportApplied(nyx, project.who, run.id, [{ path: 'src/clean.js', newBlobHash: clean!.newBlobHash }]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.applied.map((f) => f.path), ['src/clean.js']);
    const both = await reportApplied(nyx, project.who, run.id, result.files.map((f) => ({ path: f.path, newBlobHash: f.newBlobHash })));
    assert.deepEqual(both.body.applied.map((f) => f.path), ['src/metrics.js']);
    assert.deepEqual(both.body.alreadyApplied.map((f) => f.path), ['src/clean.js']);
    assert.equal(both.body.changed, true);
    const state = await api<AutofixState>(nyx.url, 'GET', `/api/v1/autofix/${run.id}`, { token: project.who.token });
    assert.deepEqual(state.body.applications.map((f) => f.path).sort(), ['src/clean.js', 'src/metrics.js']);
  });

  it('fails as a whole when one file\'s patch does not apply: no partial proposal is left to apply', async () => {
    fake.plan({
      json: JSON.parse(
        modelAnswer('Two changes.', [
          { path: 'src/clean.js', edits: [{ search: LIST_DIR, replace: "  execFile('ls', ['-l', dir], done);" }] },
          { path: 'src/metrics.js', edits: [{ search: '  out.push(rows[999]);', replace: '' }] },
        ]),
      ),
    });
    const run = await start(nyx, project.who, refactors(), { files: files(), instruction: 'shorten the listing' });
    const final = await finished(nyx, project.who, run.id);
    assert.equal(final.status, 'failed');
    assert.match(final.error ?? '', /the patch for src\/metrics\.js does not apply/);
    const state = await api<AutofixState>(nyx.url, 'GET', `/api/v1/autofix/${run.id}`, { token: project.who.token });
    assert.equal(state.body.result, null);
    const apply = await reportApplied(nyx, project.who, run.id, [{ path: 'src/clean.js', newBlobHash: 'a'.repeat(64) }]);
    assert.equal(apply.status, 409);
    assert.match(JSON.stringify(apply.body), /is failed: only the patch of a succeeded run can be applied/);
  });
});
