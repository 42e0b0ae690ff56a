import assert from 'node:assert/strict';
import type { DiscussionSynthesis } from '#protocol/discussions.ts';
import type { Workflow } from '#protocol/workflows.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import { teamFixture, wordyText, type TeamFixture } from '../team/helpers.ts';
import { callOk, connectMcp, type McpSession } from './helpers.ts';

const SYNTHESIS: DiscussionSynthesis = {
  bestApproach: 'Parse the webhook body against a schema before it reaches the ledger.',
  consensusPoints: ['Reject unknown fields'],
  dissentPoints: [{ point: 'Whether to retry failed deliveries', personas: ['Sam Okafor'] }],
  nextSteps: ['Write the schema', 'Add a replay test'],
};

describe('mcp: long tools (discussions and workflows) with progress', () => {
  let fixture: TeamFixture;
  let session: McpSession;

  before(async function () {
    this.timeout(240_000); // the shared server may start here
    fixture = await teamFixture('mcp-long', ['security-auditor', 'performance-engineer']);
    session = await connectMcp(fixture.nyx, fixture.team.token);
  });
  after(async () => {
    await session?.close();
    await fixture?.fakes.close();
  });

  it('start_discussion waits for the synthesis and sends progress fed from the run events', async () => {
    const { fakes, projectId, personas } = fixture;
    const texts = Array.from({ length: 4 }, (_, i) => wordyText(`mcp-turn${i}`, 12));
    fakes.anthropic.plan(...texts.map((text) => ({ text, chunkDelayMs: 5 })), { json: SYNTHESIS });
    const answer = await callOk(
      session,
      'start_discussion',
      { projectId, topic: 'How should the payment webhook validate its body?', personaIds: personas.map((p) => p.id), rounds: 2 },
      { withProgress: true },
    );
    assert.equal(answer.data.status, 'succeeded', answer.text);
    assert.equal(answer.data.finished, true);
    assert.deepEqual(answer.data.synthesis, SYNTHESIS);
    assert.deepEqual(answer.data.turns.map((turn: { content: string }) => turn.content), texts);
    assert.match(answer.text, /## Best approach\n\nParse the webhook body/);
    assert.match(answer.text, /- Add a replay test/);

    const messages = answer.progress.map((p) => p.message);
    assert.ok(messages.includes('round 1 of 2') && messages.includes('round 2 of 2'), JSON.stringify(messages));
    for (const turn of [1, 2, 3, 4]) assert.ok(messages.some((m) => m?.startsWith(`turn ${turn} (round `)), `turn ${turn} reported: ${JSON.stringify(messages)}`);
    assert.ok(messages.includes('synthesis written'));
    assert.equal(answer.progress.at(-1)!.progress, 100);
    assert.ok(answer.progress.every((p) => p.total === 100));
    for (let i = 1; i < answer.progress.length; i++) assert.ok(answer.progress[i]!.progress > answer.progress[i - 1]!.progress, 'progress increases with every notification');
    const round1 = answer.progress.find((p) => p.message === 'round 1 of 2')!;
    assert.equal(round1.progress, 45, 'the run\'s own fraction (0.45) sets the value');

    const stored = await fixture.team.client.call('GET', `/api/v1/discussions/${answer.data.runId}`);
    assert.deepEqual(stored.body.synthesis, SYNTHESIS);
  });

  it('with waitSeconds 0 returns the run id at once; get_discussion reads the result later', async () => {
    const { fakes, projectId, personas, nyx, team } = fixture;
    fakes.anthropic.plan(...Array.from({ length: 2 }, (_, i) => ({ text: wordyText(`later${i}`, 8), chunkDelayMs: 20 })), { json: SYNTHESIS });
    const started = await callOk(session, 'start_discussion', { projectId, topic: 'Cache the exchange rates?', personaIds: personas.map((p) => p.id), rounds: 1, waitSeconds: 0 });
    assert.equal(started.data.finished, false);
    assert.ok(['pending', 'running'].includes(started.data.status), started.text);
    assert.match(started.text, /Still running: call get_discussion/);
    const run = await waitForFinalRun(nyx.url, team, started.data.runId, 60_000);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const later = await callOk(session, 'get_discussion', { runId: started.data.runId });
    assert.equal(later.data.finished, true);
    assert.deepEqual(later.data.synthesis, SYNTHESIS);
  });

  it('start_workflow runs every step and returns the last output; get_workflow_run reads the same', async () => {
    const { fakes, projectId, team } = fixture;
    const created = await team.client.call<Workflow>('POST', '/api/v1/workflows', {
      body: {
        name: 'MCP review',
        steps: [
          { name: 'facts', persona: 'test-engineer', prompt: 'List the facts about {{input}}.' },
          { name: 'verdict', persona: 'security-auditor', prompt: 'Judge these facts:\n{{steps.facts.output}}' },
        ],
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const listed = await callOk(session, 'list_workflows', {});
    assert.ok(listed.data.items.some((w: Workflow) => w.id === created.body.id));

    const outputs = [`FACTS ${wordyText('facts', 10)}`, `VERDICT ${wordyText('verdict', 10)}`];
    fakes.anthropic.plan(...outputs.map((text) => ({ text, chunkDelayMs: 5 })), { json: { insights: [] } });
    const answer = await callOk(session, 'start_workflow', { workflowId: created.body.id, projectId, input: 'the refund webhook' }, { withProgress: true });
    assert.equal(answer.data.status, 'succeeded', answer.text);
    assert.equal(answer.data.result, outputs[1]);
    assert.deepEqual(answer.data.steps.map((s: { name: string; status: string; output: string }) => [s.name, s.status, s.output]), [
      ['facts', 'completed', outputs[0]],
      ['verdict', 'completed', outputs[1]],
    ]);
    assert.ok(answer.progress.some((p) => p.message === 'step 2 of 2: verdict'), JSON.stringify(answer.progress));
    assert.equal(answer.progress.at(-1)!.progress, 100);
    const read = await callOk(session, 'get_workflow_run', { runId: answer.data.runId });
    assert.deepEqual(read.data, answer.data);
  });
});
