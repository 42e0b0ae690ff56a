import assert from 'node:assert/strict';
import type { TestNyx } from '../helpers/nyx.ts';
import { collectRunStream } from '../runs/helpers.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { AUTOFIX_EVENT } from '#protocol/autofix.ts';
import { fileRef, finished, modelAnswer, modelFixture, start, succeeded, type FixtureProject } from './helpers.ts';

const LIST_DIR = "  execFile('ls', ['-la', dir], done);";

describe('refactor: proposals are validated before they are offered', () => {
  let nyx: TestNyx;
  let fake: FakeOpenAI;
  let project: FixtureProject;

  before(async () => ({ nyx, fake, project } = await modelFixture('afx-reject')));
  after(() => fake.close());

  async function refactorWith(answer: string, instruction: string, files = [fileRef(project, 'src/clean.js')]) {
    fake.plan({ json: JSON.parse(answer) });
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/refactors`, { files, instruction, range: { startLine: 7, startColumn: 1, endLine: 9, endColumn: 2 } });
    const final = await finished(nyx, project.who, run.id);
    const { messages } = await collectRunStream(nyx.url, project.who, run.id);
    return { run: final, rejected: messages.find((m) => m.event === AUTOFIX_EVENT.rejected) };
  }

  it('a refactor that applies cleanly succeeds, and the selected range reached the model', async () => {
    const answer = modelAnswer('Name the options.', [{ path: 'src/clean.js', edits: [{ search: LIST_DIR, replace: "  const args = ['-la', dir];\n  execFile('ls', args, done);" }] }]);
    fake.plan({ json: JSON.parse(answer) });
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/refactors`, { files: [fileRef(project, 'src/clean.js')], instruction: 'extract the arguments', range: { startLine: 7, startColumn: 1, endLine: 9, endColumn: 2 } });
    const result = await succeeded(nyx, project.who, run.id);
    assert.equal(result.kind, 'refactor');
    assert.equal(result.files[0]!.edits[0]!.range.startLine, 8);
    assert.match(result.reportMarkdown, /\*\*Instruction:\*\* extract the arguments/);
    const user = fake.requests.at(-1)!.body.messages.find((m: { role: string }) => m.role === 'user').content as string;
    assert.match(user, /## Focus\nsrc\/clean.js, lines 7-9:\nfunction listDir\(dir, done\) \{/);
  });

  it('a patch whose search text is not in the file is rejected, naming the file and the edit', async () => {
    const { run, rejected } = await refactorWith(modelAnswer('Rename.', [{ path: 'src/clean.js', edits: [{ search: "  execFile('dir', dir);", replace: 'x' }] }]), 'rename listDir');
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /the patch for src\/clean\.js does not apply: the search text of edit 1 .* is not in the file/);
    assert.equal(JSON.parse(rejected!.data).data.path, 'src/clean.js');
  });

  it('a search text that matches more than once is rejected', async () => {
    const { run } = await refactorWith(modelAnswer('Rename.', [{ path: 'src/clean.js', edits: [{ search: 'function', replace: 'const' }] }]), 'use arrow functions');
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /occurs \d+ times .*it must match exactly once/);
  });

  it('a patch touching a file outside the allowed set is rejected, naming that file', async () => {
    const answer = modelAnswer('Also tidy seeded.js.', [
      { path: 'src/clean.js', edits: [{ search: LIST_DIR, replace: "  execFile('ls', ['-l', dir], done);" }] },
      { path: 'src/seeded.js', newContent: '// gone\n' },
    ]);
    const { run } = await refactorWith(answer, 'use -l');
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /changes src\/seeded\.js, which is outside the files this run may change \(src\/clean\.js\)/);
  });

  it('a patch that breaks the syntax is rejected', async () => {
    const { run } = await refactorWith(modelAnswer('Simplify.', [{ path: 'src/clean.js', edits: [{ search: LIST_DIR, replace: "  execFile('ls', ['-la', dir], done;" }] }]), 'simplify');
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /the patched src\/clean\.js does not parse as javascript: .* at line 8/);
  });

  it('an answer that does not validate gets one repair round', async () => {
    fake.plan({ json: { rationale: 'Missing files.' } }, { json: JSON.parse(modelAnswer('Use -l.', [{ path: 'src/clean.js', newContent: '' }])) });
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/refactors`, { files: [fileRef(project, 'src/clean.js')], instruction: 'empty the file' });
    const result = await succeeded(nyx, project.who, run.id);
    assert.equal(result.files[0]!.newContent, '');
    assert.match(fake.requests.at(-1)!.body.messages.at(-1).content, /not valid/);
  });
});
