import assert from 'node:assert/strict';
import type { TestNyx } from '../helpers/nyx.ts';
import { waitFor } from '../runs/helpers.ts';
import { findings } from '../analysis-api/helpers.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openTestEventStream } from '../helpers/event-stream.ts';
import { AUTOFIX_EVENT, type AutofixResult } from '#protocol/autofix.ts';
import { builtInByKey } from '#server/modules/personas/builtins.ts';
import { api } from '../helpers/http.ts';
import type { Run } from '#protocol/runs.ts';
import { findingOf, modelAnswer, modelFixture, reportApplied, start, succeeded, type FixtureProject } from './helpers.ts';

const EVAL_LINE = '  return eval(userCode); // expect: nyx/dangerous/dynamic-eval';
const RATIONALE = 'Replace `eval` with `JSON.parse`: the input is data, never code, so nothing needs evaluating.';

/** The answer cut into many stream chunks, slowly, so the run is observably in progress. */
function slowPlan(text: string, pieces = 12, chunkDelayMs = 60) {
  const size = Math.ceil(text.length / pieces);
  const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  return { text, chunks, chunkDelayMs };
}

describe('autofix with a model (loopback OpenAI)', () => {
  let nyx: TestNyx;
  let fake: FakeOpenAI;
  let project: FixtureProject;

  before(async () => ({ nyx, fake, project } = await modelFixture('afx-model')));
  after(() => fake.close());

  it('a persona fixes a seeded finding; after the apply call the re-analysis marks it fixed', async () => {
    const target = await findingOf(nyx, project, 'nyx/dangerous/dynamic-eval');
    fake.plan(slowPlan(modelAnswer(RATIONALE, [{ path: 'src/seeded.js', edits: [{ search: EVAL_LINE, replace: '  return JSON.parse(userCode);' }] }])));
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [target.id], personaId: 'security-auditor' });
    const result = await succeeded(nyx, project.who, run.id);

    assert.equal(result.mode, 'model');
    assert.equal(result.rationale, RATIONALE);
    assert.equal(result.usage?.provider, 'openai');
    assert.ok(result.usage!.inputTokens > 0 && result.usage!.outputTokens > 0);
    const [patch] = result.files;
    assert.equal(patch!.edits.length, 1);
    assert.deepEqual(patch!.edits[0]!.range, { startLine: target.range.startLine, startColumn: 1, endLine: target.range.startLine, endColumn: EVAL_LINE.length + 1 });
    assert.ok(patch!.newContent.includes('return JSON.parse(userCode);') && !patch!.newContent.includes('eval(userCode)'));

    const request = fake.requests.at(-1)!.body;
    const system = request.messages.find((m: { role: string }) => m.role === 'system').content as string;
    const user = request.messages.find((m: { role: string }) => m.role === 'user').content as string;
    assert.ok(system.includes(builtInByKey('security-auditor')!.systemPrompt.slice(0, 60)), 'the persona speaks');
    assert.ok(system.includes('"rationale"'), 'the answer format is asked for');
    assert.ok(user.includes(EVAL_LINE), 'the file is given verbatim');
    assert.ok(user.includes('nyx/dangerous/dynamic-eval at src/seeded.js:'), 'the finding is given');
    assert.match(user, /Recurring issues in this project[\s\S]*dynamic-eval/, 'relevant code patterns are given');

    const applied = await reportApplied(nyx, project.who, run.id, [{ path: patch!.path, newBlobHash: patch!.newBlobHash }]);
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    await waitFor('re-analysis', async () => {
      const res = await api<Run>(nyx.url, 'GET', `/api/v1/runs/${applied.body.analysisRunId}`, { token: project.who.token });
      return res.body.status === 'succeeded';
    }, 60_000);
    const fixed = (await findings(nyx.url, project.who, project.projectId, '?status=all')).find((f) => f.id === target.id);
    assert.equal(fixed?.status, 'fixed');
    const others = (await findings(nyx.url, project.who, project.projectId)).filter((f) => f.ruleId === 'nyx/dangerous/dynamic-eval');
    assert.equal(others.length, 1, 'the other dynamic-eval finding (new Function) stays open');
  });

  it('streams steps, token counts and the rationale; a reconnect replays what was missed and the result is there', async () => {
    const target = await findingOf(nyx, project, 'nyx/dangerous/sql-injection');
    const line = '  return db.query("SELECT * FROM users WHERE id = " + id); // expect: nyx/dangerous/sql-injection';
    const rationale = 'Bind the id as a query parameter instead of concatenating it into the SQL text, so input can never change the statement.';
    fake.plan(slowPlan(modelAnswer(rationale, [{ path: 'src/seeded.js', edits: [{ search: line, replace: "  return db.query('SELECT * FROM users WHERE id = $1', [id]);" }] }]), 16, 80));
    const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [target.id] });

    // First connection: leave as soon as the rationale starts streaming (an editor window closing).
    const before: SseMessage[] = [];
    const headers = { authorization: `Bearer ${project.who.token}` };
    const first = openTestEventStream({ url: `${nyx.url}/api/v1/runs/${run.id}/events`, headers, initialDelayMs: 50, onMessage: (m) => before.push(m) });
    await waitFor('the first rationale piece', async () => before.some((m) => m.event === AUTOFIX_EVENT.rationale), 30_000, 10);
    first.close();
    const resumeFrom = first.lastEventId!;

    const after: SseMessage[] = [];
    const second = openTestEventStream({ url: `${nyx.url}/api/v1/runs/${run.id}/events`, headers, lastEventId: resumeFrom, initialDelayMs: 50, onMessage: (m) => after.push(m) });
    const end = await second.ended;
    assert.equal(end.reason, 'done');

    const seen = [...before.filter((m) => Number(m.id) <= Number(resumeFrom)), ...after];
    const ids = seen.map((m) => Number(m.id));
    assert.ok(after.length > 1 && Number(after[0]!.id) === Number(resumeFrom) + 1, 'the replay starts right after the last event seen');
    assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1), 'every event exactly once, in order');

    const events = seen.map((m) => ({ type: m.event, data: JSON.parse(m.data).data }));
    assert.deepEqual(events.filter((e) => e.type === AUTOFIX_EVENT.step).map((e) => e.data.step), ['collecting-context', 'generating', 'validating']);
    const pieces = events.filter((e) => e.type === AUTOFIX_EVENT.rationale).map((e) => e.data.text as string);
    assert.ok(pieces.length >= 2, `the rationale arrives in pieces (${pieces.length})`);
    assert.equal(pieces.join(''), rationale);
    const tokens = events.find((e) => e.type === AUTOFIX_EVENT.tokens)?.data;
    assert.ok(tokens.inputTokens > 0 && tokens.outputTokens > 0 && tokens.runTokens >= tokens.inputTokens + tokens.outputTokens);
    const done = events.at(-1)!;
    assert.equal(done.type, 'done');
    assert.equal(done.data.status, 'succeeded');
    assert.equal((done.data.result as AutofixResult).files[0]!.newContent.includes("[id]);"), true);
  });
});
