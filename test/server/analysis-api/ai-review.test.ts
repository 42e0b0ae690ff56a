import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { createProject } from '../runs/helpers.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import { analyze, findings, uploadWorkspace, type WorkspaceFile } from './helpers.ts';

const files: WorkspaceFile[] = [
  { path: 'src/total.js', content: 'export function total(items) {\n  let sum = 0;\n  for (let i = 0; i <= items.length; i++) sum += items[i].price;\n  return sum;\n}\n' },
  { path: 'src/name.js', content: 'export const name = (user) => user.first + " " + user.last;\n' },
];

const offByOne = {
  findings: [
    { path: 'src/total.js', startLine: 3, endLine: 3, category: 'bug', severity: 'error', message: 'Off by one: `<=` reads past the end of items.', suggestedText: '  for (let i = 0; i < items.length; i++) sum += items[i].price;' },
    // Outside the reviewed chunk: must be dropped, not stored.
    { path: 'src/elsewhere.js', startLine: 1, endLine: 1, category: 'bug', severity: 'error', message: 'invented' },
  ],
};

describe('analysis API: AI review through the model gateway (loopback OpenAI)', () => {
  let nyx: TestNyx;
  let openai: FakeOpenAI;
  let alice: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    openai = await startFakeOpenAI();
    alice = await createTestTenant(nyx, 'ai-review');
  });
  after(() => openai?.close());

  it('is skipped cleanly when the team has no provider configured', async () => {
    const projectId = await createProject(nyx.url, alice, 'no-ai');
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, files);
    const { result } = await analyze(nyx.url, alice, projectId, { snapshotId, ai: {} });
    assert.equal(result.ai.status, 'skipped');
    assert.match(result.ai.reason ?? '', /no AI provider/);
    assert.equal(openai.requests.length, 0);
  });

  it('a persona reviews changed files, its validated findings are stored with ranges and edits, and costs are recorded', async () => {
    const put = await api(nyx.url, 'PUT', '/api/v1/providers/openai', { token: alice.token, body: { apiKey: 'sk-test-0123456789abcdef', baseUrl: openai.url } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const projectId = await createProject(nyx.url, alice, 'with-ai');
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, files);
    openai.plan({ json: offByOne });
    const { result, run } = await analyze(nyx.url, alice, projectId, { snapshotId, ai: { personaId: 'reviewer-rita', model: 'gpt-4.1-mini' } });
    assert.equal(result.ai.status, 'done', result.ai.reason ?? '');
    assert.equal(result.ai.files, 2);
    const prompt = JSON.stringify(openai.requests.at(-1)!.body);
    assert.match(prompt, /src\/total\.js/);
    assert.match(prompt, /reviewer-rita/);
    const ai = (await findings(nyx.url, alice, projectId)).filter((f) => f.source === 'ai');
    assert.equal(ai.length, 1, 'the finding outside the chunk is dropped');
    assert.equal(ai[0]!.ruleId, 'nyx/ai/bug');
    assert.deepEqual(ai[0]!.range, { startLine: 3, startColumn: 1, endLine: 3, endColumn: 65 });
    assert.equal(ai[0]!.fix?.edits[0]?.newText, offByOne.findings[0]!.suggestedText);
    const [calls] = await nyx.database.orm.em.fork().execute<{ n: string; persona: string }[]>(
      `select count(*) as n, max(persona_id) as persona from ai_calls where run_id = ? and outcome = 'success'`,
      [run.id],
    );
    assert.deepEqual({ n: Number(calls!.n), persona: calls!.persona }, { n: 1, persona: 'reviewer-rita' });

    // Only the edited file goes to the model next time; the unchanged file's AI finding stays open.
    const edited = [files[0]!, { path: 'src/name.js', content: 'export const name = (user) => `${user.first} ${user.last}`;\n' }];
    const next = await uploadWorkspace(nyx.url, alice, projectId, edited);
    openai.plan({ json: { findings: [] } });
    const requestsBefore = openai.requests.length;
    const again = await analyze(nyx.url, alice, projectId, { snapshotId: next.snapshotId, ai: { personaId: 'reviewer-rita', model: 'gpt-4.1-mini' } });
    assert.equal(again.result.ai.files, 1);
    assert.equal(openai.requests.length - requestsBefore, 1);
    const secondPrompt = JSON.stringify(openai.requests.at(-1)!.body);
    assert.match(secondPrompt, /src\/name\.js/);
    assert.doesNotMatch(secondPrompt, /src\/total\.js/);
    assert.equal((await findings(nyx.url, alice, projectId)).filter((f) => f.source === 'ai').length, 1);
  });

  it('a provider failure ends the review as failed with the reason, and the analysis still succeeds', async () => {
    const projectId = await createProject(nyx.url, alice, 'ai-down');
    const { snapshotId } = await uploadWorkspace(nyx.url, alice, projectId, [{ path: 'a.js', content: 'eval(x);\n' }]);
    openai.plan({ status: 401, message: 'Incorrect API key provided' });
    const { result } = await analyze(nyx.url, alice, projectId, { snapshotId, ai: { model: 'gpt-4.1-mini' } });
    assert.equal(result.ai.status, 'failed');
    assert.ok(result.ai.reason && result.ai.reason.length > 10);
    assert.deepEqual((await findings(nyx.url, alice, projectId)).map((f) => f.ruleId), ['nyx/dangerous/dynamic-eval']);
  });
});
