// Runs write memory: a discussion its decision, an applied fix a convention, a workflow a fact.
// Each run is driven end to end against the loopback model providers; what was remembered is read
// back through the memory API, filtered by source.
import assert from 'node:assert/strict';
import type { DiscussionSynthesis } from '#protocol/discussions.ts';
import type { MemoryEntry, MemorySource } from '#protocol/memory.ts';
import type { Persona } from '#protocol/personas.ts';
import type { Workflow } from '#protocol/workflows.ts';
import { api } from '../helpers/http.ts';
import { sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import type { AiTenant, ProviderFakes } from '../ai-api/helpers.ts';
import { findingOf, fixtureProject, modelAnswer, reportApplied, start, succeeded, useFakeOpenAI, type FixtureProject } from '../autofix/helpers.ts';
import { waitFor, waitForFinalRun } from '../runs/helpers.ts';
import { teamFixture } from '../team/helpers.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import type { Run } from '#protocol/runs.ts';
import { call } from './helpers.ts';

async function remembered(nyx: TestNyx, who: TestTenant, projectId: string, source: MemorySource): Promise<MemoryEntry[]> {
  return (await call<{ items: MemoryEntry[] }>(nyx, who, 'GET', `/api/v1/projects/${projectId}/memory?source=${source}`, 200)).items;
}

async function finalStatus(nyx: TestNyx, who: TestTenant, runId: string): Promise<Run> {
  return waitForFinalRun(nyx.url, who, runId, 60_000);
}

describe('memory written by runs', () => {
  let nyx: TestNyx;
  before(async () => {
    nyx = await sharedNyx();
  });

  describe('discussions and workflows', () => {
    let fakes: ProviderFakes;
    let team: AiTenant;
    let projectId: string;
    let personaIds: string[];

    before(async () => {
      let personas: Persona[];
      ({ fakes, team, projectId, personas } = await teamFixture('mem-runs', ['security-auditor', 'software-architect'], 'mem-runs'));
      personaIds = personas.map((persona) => persona.id);
    });
    after(() => fakes.close());

    async function discuss(topic: string, synthesis: DiscussionSynthesis): Promise<Run> {
      fakes.anthropic.plan({ text: 'Validate at the edge.' }, { text: 'Agreed, with a schema.' }, { json: synthesis });
      const started = await team.client.call('POST', '/api/v1/discussions', { body: { projectId, topic, personaIds, mode: 'debate', rounds: 1 } });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      return finalStatus(nyx, team, started.body.id);
    }

    it('a discussion remembers its decision: the question and the best approach', async () => {
      const synthesis: DiscussionSynthesis = {
        bestApproach: 'Validate every request body with a zod schema at the route, and reject unknown fields.',
        consensusPoints: ['Schemas at the boundary'],
        dissentPoints: [],
        nextSteps: ['Add the schema'],
      };
      const run = await discuss('How should the payment endpoint validate its input?', synthesis);
      assert.equal(run.status, 'succeeded', run.error ?? '');

      const entries = await remembered(nyx, team, projectId, 'discussion');
      assert.equal(entries.length, 1, JSON.stringify(entries));
      const [entry] = entries;
      assert.equal(entry!.kind, 'decision');
      assert.equal(entry!.source, 'discussion');
      assert.equal(entry!.sourceRunId, run.id);
      assert.equal(entry!.projectId, projectId);
      assert.equal(entry!.createdBy, team.userId, 'written for the person who started the discussion');
      assert.equal(entry!.text, `Discussion "How should the payment endpoint validate its input?" decided: ${synthesis.bestApproach}`);
      assert.equal(entry!.embedder, 'openai:text-embedding-3-small');
    });

    it('a discussion whose decision cannot be embedded yet still succeeds and remembers it; the vector follows', async () => {
      fakes.openai.plan({ status: 500 }); // the first embeddings call (rememberFromRun's) fails; the background retry succeeds
      const run = await discuss('Should we cache sessions?', { bestApproach: 'Cache sessions in memory for 5 minutes.', consensusPoints: [], dissentPoints: [], nextSteps: [] });
      assert.equal(run.status, 'succeeded', run.error ?? '');
      const [entry] = await waitFor('the entry, embedded by the background retry', async () => {
        const entries = (await remembered(nyx, team, projectId, 'discussion')).filter((e) => e.sourceRunId === run.id);
        return entries.length && !entries[0]!.vectorPending ? entries : null;
      }, 60_000);
      assert.equal(entry!.text, 'Discussion "Should we cache sessions?" decided: Cache sessions in memory for 5 minutes.');
      assert.equal(entry!.embedder, 'openai:text-embedding-3-small');
    });

    describe('workflows', () => {
      let workflow: Workflow;
      before(async () => {
        const steps = [
          { name: 'gather', persona: 'test-engineer', prompt: 'List the facts about {{input}}.' },
          { name: 'conclude', persona: 'software-architect', prompt: 'Conclude from:\n{{steps.gather.output}}' },
        ];
        const created = await team.client.call<Workflow>('POST', '/api/v1/workflows', { body: { name: 'Refund review', steps } });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        workflow = created.body;
      });

      async function runWorkflow(input: string): Promise<Run> {
        const started = await team.client.call('POST', `/api/v1/workflows/${workflow.id}/runs`, { body: { projectId, input } });
        assert.equal(started.status, 201, JSON.stringify(started.body));
        return finalStatus(nyx, team, started.body.id);
      }

      it('a workflow that completes remembers a fact: its name and its final step\'s output', async () => {
        const conclusion = 'Refunds are idempotent per payment id; retries are safe.';
        fakes.anthropic.plan({ text: 'Refunds call the gateway once.' }, { text: conclusion }, { json: { insights: [] } });
        const run = await runWorkflow('the refund flow');
        assert.equal(run.status, 'succeeded', run.error ?? '');

        const entries = (await remembered(nyx, team, projectId, 'workflow')).filter((e) => e.sourceRunId === run.id);
        assert.equal(entries.length, 1);
        assert.equal(entries[0]!.kind, 'fact');
        assert.equal(entries[0]!.source, 'workflow');
        assert.equal(entries[0]!.text, `Workflow "Refund review" concluded (step "conclude"): ${conclusion}`);
      });

      it('a workflow whose final output is long is remembered trimmed', async () => {
        const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
        fakes.anthropic.plan({ text: 'Facts.' }, { text: long }, { json: { insights: [] } });
        const run = await runWorkflow('a long answer');
        assert.equal(run.status, 'succeeded', run.error ?? '');
        const [entry] = (await remembered(nyx, team, projectId, 'workflow')).filter((e) => e.sourceRunId === run.id);
        assert.ok(entry, 'remembered');
        assert.ok(entry.text.length < 900, `${entry.text.length} characters`);
        assert.match(entry.text, /: word0 word1 .* word\d+…$/);
      });

      it('a workflow that fails remembers nothing', async () => {
        const before = await remembered(nyx, team, projectId, 'workflow');
        fakes.anthropic.plan({ text: 'Facts.' }, { status: 500 });
        fakes.openai.plan({ status: 500 }); // the fallback provider fails the step too
        const run = await runWorkflow('a failing flow');
        assert.equal(run.status, 'failed');
        assert.match(run.error ?? '', /step 2 "conclude" failed/);
        const after = await remembered(nyx, team, projectId, 'workflow');
        assert.deepEqual(after.map((e) => e.id), before.map((e) => e.id));
      });
    });
  });

  describe('auto-fix', () => {
    const EVAL_LINE = '  return eval(userCode); // expect: nyx/dangerous/dynamic-eval';
    const RATIONALE = 'Parse the input with JSON.parse instead of eval: it is data, never code.';
    let fake: FakeOpenAI;
    let project: FixtureProject;

    before(async () => {
      fake = await startFakeOpenAI();
      project = await fixtureProject(nyx, 'mem-afx');
      await useFakeOpenAI(nyx, project.who, fake);
    });
    after(() => fake.close());

    it('an applied fix is remembered once as a convention; a proposal never applied (discarded) writes nothing', async () => {
      const evalFinding = await findingOf(nyx, project, 'nyx/dangerous/dynamic-eval');
      fake.plan({ text: modelAnswer(RATIONALE, [{ path: 'src/seeded.js', edits: [{ search: EVAL_LINE, replace: '  return JSON.parse(userCode);' }] }]) });
      const applied = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [evalFinding.id], personaId: 'security-auditor' });
      const patch = (await succeeded(nyx, project.who, applied.id)).files[0]!;
      // The editor discards a proposal without telling the server: the run just stays unapplied.
      const tls = await findingOf(nyx, project, 'nyx/dangerous/tls-verification-disabled');
      const discarded = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [tls.id] });
      await succeeded(nyx, project.who, discarded.id);
      assert.deepEqual(await remembered(nyx, project.who, project.projectId, 'autofix'), [], 'nothing before an apply');

      const first = await reportApplied(nyx, project.who, applied.id, [{ path: patch.path, newBlobHash: patch.newBlobHash }]);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const second = await reportApplied(nyx, project.who, applied.id, [{ path: patch.path, newBlobHash: patch.newBlobHash }]);
      assert.equal(second.body.changed, false);

      const entries = await remembered(nyx, project.who, project.projectId, 'autofix');
      assert.equal(entries.length, 1, `applied twice, remembered once: ${JSON.stringify(entries)}`);
      const [entry] = entries;
      assert.equal(entry!.kind, 'convention');
      assert.equal(entry!.sourceRunId, applied.id);
      assert.equal(entry!.createdBy, project.who.userId);
      assert.equal(entry!.text, `Accepted fix in src/seeded.js for nyx/dangerous/dynamic-eval at line ${evalFinding.range.startLine} (${evalFinding.message}): ${RATIONALE}`);
      assert.ok(!entries.some((e) => e.sourceRunId === discarded.id));

      // Let the re-analysis the apply started finish before the suite moves on.
      await waitFor('re-analysis', async () => {
        const res = await api<Run>(nyx.url, 'GET', `/api/v1/runs/${first.body.analysisRunId}`, { token: project.who.token });
        return res.body.status === 'succeeded';
      }, 60_000);
    });

    it('an apply answers without waiting for a slow embedding provider; the fix is remembered when it answers', async () => {
      // A deterministic (analyzer) fix: no model call, so the only provider call is the embedding.
      const tls = await findingOf(nyx, project, 'nyx/dangerous/tls-verification-disabled');
      const run = await start(nyx, project.who, `/api/v1/projects/${project.projectId}/autofixes`, { snapshotId: project.snapshotId, findingIds: [tls.id] });
      const patch = (await succeeded(nyx, project.who, run.id)).files[0]!;
      // The one embeddings call of this apply (rememberFromRun's) answers only after 8 s.
      fake.plan({ vectors: [], delayMs: 8_000 });
      const applied = await reportApplied(nyx, project.who, run.id, [{ path: patch.path, newBlobHash: patch.newBlobHash }]);
      assert.equal(applied.status, 200, JSON.stringify(applied.body));
      assert.equal(applied.body.changed, true);
      const fromThisRun = async () => (await remembered(nyx, project.who, project.projectId, 'autofix')).filter((e) => e.sourceRunId === run.id);
      // Saved at once and embedded within the inline budget or, when its call is the slow one
      // (the re-analysis may embed too and take the delayed answer), by the background retry.
      const [entry] = await waitFor('the entry, once it is embedded', async () => {
        const entries = await fromThisRun();
        return entries.length && !entries[0]!.vectorPending ? entries : null;
      }, 60_000);
      assert.match(entry!.text, /^Accepted fix in src\/seeded\.js for nyx\/dangerous\/tls-verification-disabled/);
      assert.equal(entry!.embedder, 'openai:text-embedding-3-small');
      await waitFor('re-analysis', async () => {
        const res = await api<Run>(nyx.url, 'GET', `/api/v1/runs/${applied.body.analysisRunId}`, { token: project.who.token });
        return res.body.status === 'succeeded';
      }, 60_000);
    });
  });
});
