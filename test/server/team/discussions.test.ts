import assert from 'node:assert/strict';
import type { Discussion, DiscussionSynthesis } from '#protocol/discussions.ts';
import type { Persona } from '#protocol/personas.ts';
import type { TestNyx } from '../helpers/nyx.ts';
import { tenantWithProviders, type AiTenant, type ProviderFakes } from '../ai-api/helpers.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import { readRunEvents, teamFixture, wordyText } from './helpers.ts';

const SYNTHESIS: DiscussionSynthesis = {
  bestApproach: 'Validate input at the boundary with a schema, then parameterise every query.',
  consensusPoints: ['Parameterised queries everywhere'],
  dissentPoints: [{ point: 'Whether to cache validation results', personas: ['Priya Raman'] }],
  nextSteps: ['Add a schema for the payment request'],
};

describe('team: discussions', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let team: AiTenant;
  let projectId: string;
  let personas: Persona[];
  let runId: string;

  before(async () => ({ nyx, fakes, team, projectId, personas } = await teamFixture('discuss', ['security-auditor', 'performance-engineer', 'software-architect'])));
  after(() => fakes.close());

  it('streams every turn of 3 personas over 2 rounds in order, then a synthesis', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => wordyText(`turn${i}`, 20));
    fakes.anthropic.plan(...texts.map((text) => ({ text, chunkDelayMs: 8 })), { json: SYNTHESIS });
    const start = await team.client.call('POST', '/api/v1/discussions', {
      body: {
        projectId,
        topic: 'How should the payment endpoint validate its input?',
        personaIds: personas.map((p) => p.id),
        mode: 'debate',
        rounds: 2,
        context: { files: [{ path: 'src/pay.ts', content: 'export function pay(req) { db.query("select " + req.id) }' }] },
      },
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    runId = start.body.id;
    const { events, end } = await readRunEvents(nyx, team, runId);
    assert.equal(end.reason, 'done');
    assert.equal(events.at(-1)!.data.status, 'succeeded', JSON.stringify(events.at(-1)));

    const started = events.filter((e) => e.type === 'discussion.turn.started').map((e) => [e.data.round, e.data.personaId, e.data.turn]);
    const expected = [1, 2].flatMap((round) => personas.map((p, i) => [round, p.id, (round - 1) * 3 + i]));
    assert.deepEqual(started, expected);
    for (let turn = 0; turn < 6; turn++) {
      const deltas = events.filter((e) => e.type === 'discussion.turn.delta' && e.data.turn === turn);
      assert.equal(deltas.map((e) => e.data.text).join(''), texts[turn], `turn ${turn} streamed text`);
      assert.ok(deltas.length >= 2, `turn ${turn} arrives in several events (${deltas.length})`);
      assert.ok(deltas.length < 20, `turn ${turn}: tokens are batched, not one event each (${deltas.length})`);
      assert.ok(deltas.every((e) => e.data.round === Math.floor(turn / 3) + 1 && e.data.personaId === personas[turn % 3]!.id));
      const completed = events.find((e) => e.type === 'discussion.turn.completed' && e.data.turn === turn)!;
      assert.equal(completed.data.text, texts[turn]);
      assert.ok(completed.seq > deltas.at(-1)!.seq);
    }
    const synthesis = events.find((e) => e.type === 'discussion.synthesis')!;
    assert.deepEqual(synthesis.data.synthesis, SYNTHESIS);
    assert.ok(synthesis.seq > events.filter((e) => e.type === 'discussion.turn.completed').at(-1)!.seq);

    // Each persona saw the earlier turns and its own system prompt.
    const prompts = fakes.anthropic.requests.slice(-7);
    assert.match(JSON.stringify(prompts[1]!.body.messages), /turn0-w19/);
    assert.match(JSON.stringify(prompts[5]!.body.messages), /turn4-w0/);
    assert.match(JSON.stringify(prompts[0]!.body.system), /Sam Okafor/);
    assert.match(JSON.stringify(prompts[0]!.body.messages), /src\/pay\.ts/);

    const stored = await team.client.call<Discussion>('GET', `/api/v1/discussions/${runId}`);
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.body.turns.map((t) => t.content), texts);
    assert.deepEqual(stored.body.synthesis, SYNTHESIS);
    const list = await team.client.call('GET', `/api/v1/discussions?projectId=${projectId}`);
    assert.ok(list.body.items.some((d: Discussion) => d.runId === runId && d.status === 'succeeded'));
  });

  it('rejects bad input with the field and answers 404 for another tenant\'s discussion', async () => {
    const tooFew = await team.client.call('POST', '/api/v1/discussions', { body: { projectId, topic: 't', personaIds: [personas[0]!.id] } });
    assert.equal(tooFew.status, 400);
    assert.equal(tooFew.body.field, 'personaIds');
    const unknown = await team.client.call('POST', '/api/v1/discussions', { body: { projectId, topic: 't', personaIds: [personas[0]!.id, '00000000-0000-4000-8000-000000000000'] } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.field, 'personaIds.1');
    const stranger = await tenantWithProviders(nyx, fakes, 'stranger');
    assert.equal((await stranger.client.call('GET', `/api/v1/discussions/${runId}`)).status, 404);
    assert.equal((await stranger.client.call('POST', `/api/v1/discussions/${runId}/implement`, { body: { target: 'workflow' } })).status, 404);
  });

  it('"Implement" answers 409 for a missing run kind, else starts a refactor or a workflow run', async () => {
    const registry = nyx.runs.registry;
    // An instance started without the auto-fix feature (the runner claims only kinds it has): this
    // one has it, so the test hides that kind for one request instead of skipping the branch.
    const has = registry.has.bind(registry);
    registry.has = (kind) => kind !== 'autofix' && has(kind);
    let missing;
    try {
      missing = await team.client.call('POST', `/api/v1/discussions/${runId}/implement`, { body: { target: 'autofix' } });
    } finally {
      registry.has = has;
    }
    assert.equal(missing.status, 409, JSON.stringify(missing.body));
    assert.equal(missing.body.field, 'target');
    assert.match(missing.body.detail, /cannot run "autofix"/);
    const runsAfter409 = await team.client.call('GET', '/api/v1/runs');
    assert.ok(!runsAfter409.body.items.some((run: { kind: string }) => run.kind === 'autofix'), 'the 409 started no run');
    // The refactor kind belongs to another module; stand in for it only when it is absent.
    if (!registry.has('refactor')) registry.registerRunHandler('refactor', async () => ({ ok: true }));
    const refactor = await team.client.call('POST', `/api/v1/discussions/${runId}/implement`, { body: { target: 'refactor' } });
    assert.equal(refactor.status, 201, JSON.stringify(refactor.body));
    assert.equal(refactor.body.run.kind, 'refactor');
    // The refactor works on the discussed files, stored as blobs, with the synthesis as its instruction.
    assert.match(refactor.body.run.input.instruction, /parameterise every query/);
    assert.deepEqual(refactor.body.run.input.files.map((f: { path: string }) => f.path), ['src/pay.ts']);
    assert.match(refactor.body.run.input.files[0].blobHash, /^[0-9a-f]{64}$/);
    // Let it end (its model answers are not planned here) before planning the workflow's answers.
    await waitForFinalRun(nyx.url, team, refactor.body.run.id, 30_000);

    fakes.anthropic.plan({ text: 'approaches' }, { text: 'objections' }, { text: 'decision' }, { text: 'diff' }, { json: { insights: [] } });
    const workflow = await team.client.call('POST', `/api/v1/discussions/${runId}/implement`, { body: {} });
    assert.equal(workflow.status, 201, JSON.stringify(workflow.body));
    assert.equal(workflow.body.kind, 'workflow');
    const workflows = await team.client.call('GET', '/api/v1/workflows');
    const template = workflows.body.items.find((w: { builtInKey: string }) => w.builtInKey === 'discuss-decide-implement');
    assert.equal(workflow.body.run.input.workflowId, template.id);
    assert.match(workflow.body.run.input.input, /Best approach:\nValidate input/);
    const finished = await waitForFinalRun(nyx.url, team, workflow.body.run.id, 30_000);
    assert.equal(finished.status, 'succeeded', finished.error ?? '');
  });
});
