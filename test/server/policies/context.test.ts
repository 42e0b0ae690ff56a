import assert from 'node:assert/strict';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { call, createProject, runToEnd } from '../knowledge/helpers.ts';
import { builtInPersonas, readRunEvents } from '../team/helpers.ts';
import { LOGGING_V1, SECRETS } from './fixtures.ts';

const STEPS = [
  { name: 'check', persona: 'compliance-officer', prompt: 'Which of these clauses apply to {{input}}?\n{{policies}}' },
  { name: 'summary', persona: 'compliance-officer', prompt: 'Write the summary for the team.' },
];

async function teamWithAnthropic(nyx: TestNyx, fake: FakeAnthropic, label: string): Promise<TestTenant> {
  const tenant = await createTestTenant(nyx, label);
  await call(nyx, tenant, 'PUT', '/api/v1/providers/anthropic', 200, { apiKey: `sk-ant-api03-${'x'.repeat(40)}`, baseUrl: fake.url });
  return tenant;
}

describe('policies: {{policies}} for the AI team', () => {
  let nyx: TestNyx;
  let fake: FakeAnthropic;
  before(async () => {
    nyx = await sharedNyx();
    fake = await startFakeAnthropic();
  });
  after(() => fake.close());

  async function runWorkflow(team: TestTenant, input: string) {
    const projectId = await createProject(nyx, team, 'Context');
    const workflow = await call(nyx, team, 'POST', '/api/v1/workflows', 201, { name: 'Policy check', steps: STEPS });
    fake.plan({ text: 'Clause 2 applies.' }, { text: 'Summary.' }, { json: { insights: [] } });
    const run = await call(nyx, team, 'POST', `/api/v1/workflows/${workflow.id}/runs`, 201, { projectId, input });
    await runToEnd(nyx, team, run.id);
    const { events } = await readRunEvents(nyx, team, run.id);
    return events.filter((e) => e.type === 'workflow.step.context').map((e) => e.data);
  }

  it('fills {{policies}} in a workflow template with the clauses relevant to the input, and adds them to the automatic context', async () => {
    const team = await teamWithAnthropic(nyx, fake, 'ctx-workflow');
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: LOGGING_V1 });
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: SECRETS });
    const [check, summary] = await runWorkflow(team, 'how long we keep security logs');
    assert.ok(check.prompt.includes('Logging and monitoring §2 Retention'), check.prompt);
    assert.ok(!check.prompt.includes('{{policies}}'));
    assert.ok(!check.injected.some((i: { kind: string }) => i.kind === 'policies'), 'asked for them itself: not injected again');
    assert.ok(summary.injected.some((i: { kind: string }) => i.kind === 'policies'), 'the automatic context includes them');
    assert.ok(summary.prompt.includes('## Policies') && summary.prompt.includes('§2 Retention'));
  });

  it('adds nothing when the team has no policies', async () => {
    const team = await teamWithAnthropic(nyx, fake, 'ctx-none');
    const [check, summary] = await runWorkflow(team, 'how long we keep security logs');
    assert.ok(check.prompt.includes('(the team has no policies)'));
    assert.ok(!summary.injected.some((i: { kind: string }) => i.kind === 'policies'));
    assert.ok(!summary.prompt.includes('## Policies'));
  });

  it('puts the relevant clauses into a discussion\'s context when its topic says {{policies}}', async () => {
    const team = await teamWithAnthropic(nyx, fake, 'ctx-discussion');
    await call(nyx, team, 'POST', '/api/v1/policies', 201, { format: 'markdown', content: SECRETS });
    const projectId = await createProject(nyx, team, 'Discuss');
    const personas = await builtInPersonas(nyx, team);
    fake.plan({ text: 'Use the secret store.' }, { text: 'Agreed.' }, { json: { bestApproach: 'Read keys from the secret store.', consensusPoints: ['secret store'], dissentPoints: [] } });
    const before = fake.requests.length;
    const run = await call(nyx, team, 'POST', '/api/v1/discussions', 201, {
      projectId,
      topic: 'Where should the payment API key live? {{policies}}',
      personaIds: [personas.get('compliance-officer')!.id, personas.get('security-auditor')!.id],
      mode: 'debate',
      rounds: 1,
    });
    await runToEnd(nyx, team, run.id);
    const first = JSON.stringify(fake.requests[before]!.body);
    assert.ok(first.includes('Secrets and keys §1 Secret store'), first);
    assert.ok(!first.includes('{{policies}}'), 'the tag itself never reaches the model');
  });
});
