import assert from 'node:assert/strict';
import type { Workflow, WorkflowRunDetail } from '#protocol/workflows.ts';
import { sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { sql, startProviderFakes, tenantWithProviders, type AiTenant, type ProviderFakes } from '../ai-api/helpers.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import { createProject, readRunEvents, wordyText } from './helpers.ts';

const STEPS = [
  { name: 'gather', persona: 'test-engineer', prompt: 'List the facts about {{input}}.' },
  { name: 'review', persona: 'security-auditor', prompt: 'Review these facts:\n{{steps.gather.output}}' },
  { name: 'summarize', persona: 'refactoring-specialist', prompt: 'Write the summary for the team.' },
];

describe('team: workflows', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let team: AiTenant;
  let projectId: string;
  let workflow: Workflow;

  before(async () => {
    nyx = await sharedNyx();
    fakes = await startProviderFakes();
    team = await tenantWithProviders(nyx, fakes, 'flows');
    projectId = await createProject(nyx, team, 'flows', 'A payments service');
  });
  after(() => fakes.close());

  it('rejects unknown references, forward references and duplicate names, naming the step', async () => {
    const cases: [unknown[], string, RegExp][] = [
      [[{ name: 'a', persona: 'test-engineer', prompt: 'Use {{inputs}}' }], 'steps.0.prompt', /step 1 "a": unknown reference \{\{inputs\}\}/],
      [[{ name: 'a', persona: 'test-engineer', prompt: '{{steps.b.output}}' }, { name: 'b', persona: 'test-engineer', prompt: 'x' }], 'steps.0.prompt', /step 1 "a".*forward reference/],
      [[{ name: 'a', persona: 'test-engineer', prompt: 'x' }, { name: 'a', persona: 'test-engineer', prompt: 'y' }], 'steps.1.name', /step 2 "a": duplicate step name/],
      [[{ name: 'a', persona: 'test-engineer', prompt: '{{steps.zz.output}}' }], 'steps.0.prompt', /names no step/],
      [[{ name: 'a', persona: 'nobody-at-all', prompt: 'x' }], 'steps.0.persona', /step 1 "a": no persona "nobody-at-all"/],
    ];
    for (const [steps, field, message] of cases) {
      const response = await team.client.call('POST', '/api/v1/workflows', { body: { name: 'Broken', steps } });
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.field, field);
      assert.match(response.body.detail, message);
    }
    const rows = await sql(nyx, `select * from workflows where tenant_id = ? and name = 'Broken'`, [team.tenantId]);
    assert.equal(rows.length, 0);
  });

  it('versions every save and lists the built-in templates', async () => {
    const created = await team.client.call<Workflow>('POST', '/api/v1/workflows', { body: { name: 'Triage', steps: STEPS.slice(0, 1) } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const saved = await team.client.call<Workflow>('PUT', `/api/v1/workflows/${created.body.id}`, { body: { name: 'Triage', steps: STEPS } });
    assert.equal(saved.body.version, 2);
    workflow = saved.body;
    const v1 = await team.client.call('GET', `/api/v1/workflows/${workflow.id}/versions/1`);
    assert.equal(v1.body.steps.length, 1);
    const list = await team.client.call<{ items: Workflow[] }>('GET', '/api/v1/workflows');
    const keys = list.body.items.filter((w) => w.builtIn).map((w) => w.builtInKey).sort();
    assert.deepEqual(keys, ['analyse-review-prompt', 'discuss-decide-implement']);
  });

  it('runs 3 steps: resolves references, injects context when none are given, persists outputs, resumes after a reconnect', async () => {
    const outputs = ['FACTS ' + wordyText('facts', 30), 'REVIEW ' + wordyText('review', 30), 'SUMMARY ' + wordyText('summary', 30)];
    fakes.anthropic.plan(...outputs.map((text) => ({ text, chunkDelayMs: 6 })), { json: { insights: [{ title: 'Card numbers are logged', content: 'The payment service logs full card numbers; mask them.' }] } });
    const start = await team.client.call('POST', `/api/v1/workflows/${workflow.id}/runs`, { body: { projectId, input: 'the refund flow' } });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const runId = start.body.id;
    assert.equal(start.body.input.version, 2, 'the run pins the current version');

    // Hang up after the first step completes, then resume from the last id seen.
    const first = await readRunEvents(nyx, team, runId, { stopWhen: (e) => e.type === 'workflow.step.completed' });
    assert.equal(first.end.reason, 'closed');
    const rest = await readRunEvents(nyx, team, runId, { lastEventId: first.lastEventId });
    assert.equal(rest.end.reason, 'done');
    const events = [...first.events, ...rest.events];
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: events.length }, (_, i) => i + 1), 'every event exactly once, in order');
    assert.equal(events.at(-1)!.data.status, 'succeeded', JSON.stringify(events.at(-1)!.data));

    const contexts = events.filter((e) => e.type === 'workflow.step.context').map((e) => e.data);
    assert.deepEqual(contexts[0].injected.map((i: { kind: string }) => i.kind), ['project'], 'step 1 names {{input}} but not the project');
    assert.deepEqual(contexts[1].injected, [], 'step 2 references an earlier step: nothing is injected');
    assert.deepEqual(contexts[2].injected.map((i: { kind: string; step?: string }) => i.step ?? i.kind), ['project', 'input', 'gather', 'review']);
    assert.match(contexts[0].prompt, /the refund flow/);
    assert.match(contexts[1].prompt, new RegExp(`Review these facts:\\n${outputs[0]}`));
    assert.match(contexts[2].prompt, /## Project\nName: flows\nDescription: A payments service/);
    assert.match(contexts[2].prompt, /### review\nREVIEW/);
    assert.equal(fakes.anthropic.requests.at(-2)!.body.messages[0].content, contexts[2].prompt, 'the prompt shown is the prompt sent');
    assert.equal(events.filter((e) => e.type === 'progress').length, 3, 'one progress event per step');
    for (const [index, text] of outputs.entries()) {
      assert.equal(events.filter((e) => e.type === 'workflow.step.delta' && e.data.index === index).map((e) => e.data.text).join(''), text);
    }
    assert.deepEqual(events.find((e) => e.type === 'workflow.insights')!.data, { count: 1, embedderId: 'openai:text-embedding-3-small', source: 'model' });

    const detail = await team.client.call<WorkflowRunDetail>('GET', `/api/v1/workflow-runs/${runId}`);
    assert.deepEqual(detail.body.steps.map((s) => [s.status, s.output]), outputs.map((o) => ['completed', o]));
    const found = await team.client.call('GET', `/api/v1/projects/${projectId}/workflow-insights?q=${encodeURIComponent('card numbers logged')}`);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.equal(found.body.items[0].title, 'Card numbers are logged');
  });

  it('retries from the failed step, reusing the outputs before it', async () => {
    fakes.anthropic.plan({ text: 'GATHERED' }, { status: 500 });
    fakes.openai.plan({ status: 500 });
    const start = await team.client.call('POST', `/api/v1/workflows/${workflow.id}/runs`, { body: { projectId, input: 'the retry flow' } });
    const failed = await waitForFinalRun(nyx.url, team, start.body.id, 30_000);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /step 2 "review" failed/);
    const failedDetail = await team.client.call<WorkflowRunDetail>('GET', `/api/v1/workflow-runs/${failed.id}`);
    assert.deepEqual(failedDetail.body.steps.map((s) => s.status), ['completed', 'failed', 'pending']);

    const requestsBefore = fakes.anthropic.requests.length;
    fakes.anthropic.plan({ text: 'REVIEWED' }, { text: 'SUMMED' });
    const retry = await team.client.call('POST', `/api/v1/workflow-runs/${failed.id}/retry`);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.input.startAtStep, 1);
    const { events } = await readRunEvents(nyx, team, retry.body.id);
    assert.equal(events.at(-1)!.data.status, 'succeeded', JSON.stringify(events.at(-1)!.data));
    assert.deepEqual(events.filter((e) => e.type === 'workflow.step.reused').map((e) => [e.data.index, e.data.fromRunId]), [[0, failed.id]]);
    assert.deepEqual(events.filter((e) => e.type === 'workflow.step.started').map((e) => e.data.name), ['review', 'summarize']);
    assert.match(fakes.anthropic.requests[requestsBefore]!.body.messages[0].content, /GATHERED/, 'step 2 sees the reused output');
    const detail = await team.client.call<WorkflowRunDetail>('GET', `/api/v1/workflow-runs/${retry.body.id}`);
    assert.deepEqual(detail.body.steps.map((s) => [s.status, s.output]), [['reused', 'GATHERED'], ['completed', 'REVIEWED'], ['completed', 'SUMMED']]);
    assert.equal((await team.client.call('POST', `/api/v1/workflow-runs/${retry.body.id}/retry`)).status, 409, 'a succeeded run is not retried');
  });

  it('syncs workspace YAML documents and publishes their JSON Schema', async () => {
    const schema = await fetch(`${nyx.url}/api/v1/workflows/schema.json`).then((r) => r.json());
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['steps']);
    assert.ok(schema.properties.steps.items.properties.prompt);
    const doc = { description: 'From the repo', steps: STEPS.slice(0, 2) };
    const first = await team.client.call('PUT', '/api/v1/workflows/sync', { body: { workflows: { 'repo-review': doc } } });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.items[0].status, 'created');
    const again = await team.client.call('PUT', '/api/v1/workflows/sync', { body: { workflows: { 'repo-review': doc } } });
    assert.equal(again.body.items[0].status, 'unchanged');
    const changed = await team.client.call('PUT', '/api/v1/workflows/sync', { body: { workflows: { 'repo-review': { ...doc, steps: STEPS } } } });
    assert.deepEqual([changed.body.items[0].status, changed.body.items[0].version], ['updated', 2]);
    const bad = await team.client.call('PUT', '/api/v1/workflows/sync', { body: { workflows: { broken: { steps: [{ name: 'x', persona: 'test-engineer', prompt: '{{project.owner}}' }] } } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'workflows.broken.steps.0.prompt');
  });

  it('keeps workflows and their runs inside the tenant', async () => {
    const stranger = await tenantWithProviders(nyx, fakes, 'flows-stranger');
    assert.equal((await stranger.client.call('GET', `/api/v1/workflows/${workflow.id}`)).status, 404);
    assert.equal((await stranger.client.call('PUT', `/api/v1/workflows/${workflow.id}`, { body: { name: 'x', steps: STEPS } })).status, 404);
    const runs = await team.client.call('GET', `/api/v1/runs?kind=workflow&projectId=${projectId}`);
    assert.equal((await stranger.client.call('GET', `/api/v1/workflow-runs/${runs.body.items[0].id}`)).status, 404);
    assert.equal((await stranger.client.call('POST', `/api/v1/workflow-runs/${runs.body.items[0].id}/retry`)).status, 404);
  });
});
