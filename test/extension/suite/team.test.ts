// The AI team in a real VS Code: the persona picker's round trip through its webview, live
// refresh on persona.changed, a discussion streamed into its view by a loopback OpenAI fake
// (configured on the live server through the API), Implement, a workflow run with retry, and
// the .nyx/workflows YAML diagnostics, completion and sync.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DiscussionSynthesis } from '#protocol/discussions.ts';
import type { Persona } from '#protocol/personas.ts';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import type { Workflow } from '#protocol/workflows.ts';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const SYNTHESIS: DiscussionSynthesis = {
  bestApproach: 'Validate the payload with a schema at the boundary, then parameterise the query.',
  consensusPoints: ['Never build SQL from strings'],
  dissentPoints: [{ point: 'Whether to cache the schema', personas: ['Performance engineer'] }],
  nextSteps: ['Add the schema'],
};

describe('AI team', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;
  let project: Project;
  let library: Persona[];
  const byKey = (key: string) => library.find((persona) => persona.builtInKey === key)!;

  before(async () => {
    const api = await ensureConnected();
    fake = await startFakeOpenAI();
    // The live server has no model provider: point OpenAI at the loopback fake for this suite.
    await callServer('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-team-suite', baseUrl: fake.url });
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Team') });
    await api.selection.select(project);
    library = (await callServer<{ items: Persona[] }>('GET', '/api/v1/personas?builtIn=true')).items;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await callServer('DELETE', '/api/v1/providers/openai').catch(() => undefined);
    await fake?.close();
  });

  describe('persona picker', () => {
    it('opens, says ready, shows sections with portraits, searches, and resolves with the personas chosen in its webview', async () => {
      const api = await ensureConnected();
      const picked = api.team.pickPersonas({ multi: true, min: 2, max: 3, title: 'Pick for the test' });
      const session = await waitFor('the picker to open', () => api.team.picker.current);
      await waitFor('the picker webview to say ready', () => session.host.isReady);
      const view = await waitFor('cards with their portraits', async () => {
        const described = await session.host.request('describeView', {});
        return described.visibleCards.length >= library.length && described.portraitsLoaded >= library.length ? described : undefined;
      });
      assert.deepEqual(view.sections.slice(0, 3).map((section) => section.title), ['Built-in', 'Team', 'By category']);
      assert.equal(view.sections[0]!.count, library.length);
      assert.ok(view.sections.some((section) => section.title === 'Security'), 'a category section for security');
      assert.equal(view.confirmEnabled, false, 'nothing chosen yet: min is 2');
      assert.match(view.theme, /^vscode-/);

      await session.host.request('search', { query: 'gdpr' });
      const searched = await session.host.request('describeView', {});
      assert.deepEqual(searched.visibleCards.map((card) => card.id), [byKey('compliance-officer').id]);
      await session.host.request('toggle', { id: byKey('compliance-officer').id });
      await session.host.request('search', { query: '' });
      await session.host.request('toggle', { id: byKey('security-auditor').id });
      const chosen = await session.host.request('describeView', {});
      assert.deepEqual(chosen.selectedIds, [byKey('compliance-officer').id, byKey('security-auditor').id]);
      assert.equal(chosen.confirmEnabled, true);

      await session.host.request('pressConfirm', {});
      const personas = await picked;
      assert.deepEqual(personas?.map((persona) => persona.builtInKey), ['compliance-officer', 'security-auditor']);
      assert.equal(api.team.picker.current, undefined, 'the picker closed');
    });

    it('resolves undefined when closed, and refreshes live when a teammate creates a persona', async () => {
      const api = await ensureConnected();
      const picked = api.team.pickPersonas({ title: 'Single' });
      const session = await waitFor('the picker to open', () => api.team.picker.current);
      await waitFor('the first cards', async () => (await session.host.request('describeView', {})).visibleCards.length > 0);
      const name = uniqueName('Teammate persona');
      await callServer('POST', '/api/v1/personas', { name, role: 'Reviewer', description: 'Reviews Kubernetes deployments and CI pipelines.' });
      const view = await waitFor('the new persona to appear (persona.changed)', async () => {
        const described = await session.host.request('describeView', {});
        return described.visibleCards.some((card) => card.name === name) ? described : undefined;
      });
      assert.ok(view.sections.find((section) => section.title === 'Team')!.count >= 1);
      session.host.panel.dispose();
      assert.equal(await picked, undefined);
    });

    it('"Nyx: Manage Personas" duplicates a built-in into an editable team persona', async () => {
      const copy = await vscode.commands.executeCommand<Persona>('nyx.managePersonas', { action: 'duplicate', personaId: byKey('devops-sre').id });
      assert.ok(copy);
      assert.equal(copy.builtIn, false);
      assert.match(copy.name, /\(copy\)$/);
      await vscode.commands.executeCommand('nyx.managePersonas', { action: 'delete', personaId: copy.id });
    });
  });

  describe('discussions', () => {
    let runId: string;
    const turns = ['Validate at the boundary with a schema; strings must never reach SQL. '.repeat(3).trim(), 'Agreed, but measure the cost of validation on the hot path first. '.repeat(3).trim()];

    it('"Nyx: Start Discussion..." starts the run and its view streams each turn token by token, then shows the synthesis', async () => {
      const api = await ensureConnected();
      fake.plan(...turns.map((text) => ({ text, chunkDelayMs: 40 })));
      fake.setDefault({ json: SYNTHESIS });
      const run = await vscode.commands.executeCommand<Run>('nyx.startDiscussion', {
        topic: 'How should the payment endpoint validate input?',
        personaIds: [byKey('security-auditor').id, byKey('performance-engineer').id],
        mode: 'debate',
        rounds: 1,
        includeEditor: false,
      });
      assert.ok(run, 'the command returned no run');
      runId = run.id;
      const panel = await waitFor('the discussion view', () => api.team.discussions.get(runId));
      let sawPartialTurn = false;
      const view = await waitFor('both turns and the synthesis', async () => {
        const described = await panel.host.request('describeView', {});
        if (described.bubbles.some((bubble, index) => bubble.text.length > 0 && bubble.text.length < turns[index]!.length)) sawPartialTurn = true;
        return described.synthesisShown && /succeeded/.test(described.status) ? described : undefined;
      }, 40_000);
      assert.ok(sawPartialTurn, 'a turn was seen while its tokens were still arriving');
      assert.deepEqual(view.bubbles.map((bubble) => [bubble.persona, bubble.round, bubble.text]), [
        [byKey('security-auditor').name, 1, turns[0]],
        [byKey('performance-engineer').name, 1, turns[1]],
      ]);
      assert.equal(view.bestApproach, SYNTHESIS.bestApproach);
      assert.ok(view.bubbles.every((bubble) => bubble.portrait), 'every bubble shows its portrait');
    });

    it('a view restored after a reload replays the run from the start: the whole transcript, once', async () => {
      const api = await ensureConnected();
      api.team.discussions.get(runId)?.panel.dispose();
      const panel = vscode.window.createWebviewPanel('nyx.discussion', 'Discussion', vscode.ViewColumn.Active, { enableScripts: true });
      const restored = api.team.discussions.restore(panel, { runId });
      assert.ok(restored);
      const view = await waitFor('the replayed transcript', async () => {
        const described = await restored.host.request('describeView', {});
        return described.synthesisShown ? described : undefined;
      });
      const stored = await callServer<{ turns: Array<{ personaName: string; content: string }> }>('GET', `/api/v1/discussions/${runId}`);
      assert.deepEqual(view.bubbles.map((bubble) => [bubble.persona, bubble.text]), stored.turns.map((turn) => [turn.personaName, turn.content]));
    });

    it('"Implement" starts the workflow run and opens its progress', async () => {
      const api = await ensureConnected();
      const panel = api.team.discussions.get(runId)!;
      await panel.host.request('clickImplement', { target: 'workflow' });
      const implemented = await waitFor('the implement run', () => panel.transcript?.implemented ?? undefined);
      assert.equal(implemented.kind, 'workflow');
      await waitFor('the workflow run view of the started run (a run opens in the panel of its kind)', () => api.team.workflowRuns.get(implemented.runId));
      await waitFor('the workflow run to end', async () => ['succeeded', 'failed'].includes((await callServer<Run>('GET', `/api/v1/runs/${implemented.runId}`)).status), 30_000);
    });
  });

  describe('workflows', () => {
    let workflow: Workflow;

    before(async () => {
      workflow = await callServer<Workflow>('POST', '/api/v1/workflows', {
        name: uniqueName('Two steps'),
        steps: [
          { name: 'gather', persona: 'test-engineer', prompt: 'List the facts.' },
          { name: 'review', persona: 'security-auditor', prompt: 'Review: {{steps.gather.output}}' },
        ],
      });
    });

    it('"Nyx: Run Workflow..." shows each step with its output and the injected context; Retry from the failed step', async () => {
      const api = await ensureConnected();
      fake.plan({ text: 'GATHERED facts' }, { status: 500 });
      const failed = await vscode.commands.executeCommand<Run>('nyx.runWorkflow', { workflowId: workflow.id, input: 'the payment service', includeEditor: false });
      assert.ok(failed);
      const panel = await waitFor('the workflow run view', () => api.team.workflowRuns.get(failed.id));
      const view = await waitFor('the run to fail on step 2', async () => {
        const described = await panel.host.request('describeView', {});
        return described.retryShown ? described : undefined;
      }, 30_000);
      assert.deepEqual(view.steps.map((step) => [step.name, step.status]), [['gather', 'completed'], ['review', 'failed']]);
      assert.equal(view.steps[0]!.output, 'GATHERED facts');
      assert.ok(view.steps[0]!.injected >= 2, 'step 1 references nothing: project and input were injected and shown');
      assert.equal(view.steps[1]!.injected, 0, 'step 2 references step 1: nothing injected');

      fake.plan({ text: 'REVIEWED' });
      await panel.host.request('clickRetry', {});
      const retryRunId = await waitFor('the retry run', () => panel.view?.retriedAs ?? undefined);
      const retryPanel = await waitFor('the retry view', () => api.team.workflowRuns.get(retryRunId));
      const retried = await waitFor('the retry to succeed', async () => {
        const described = await retryPanel.host.request('describeView', {});
        return /succeeded/.test(described.status) && described.steps[0]?.output ? described : undefined;
      }, 30_000);
      assert.deepEqual(retried.steps.map((step) => [step.name, step.status, step.output]), [['gather', 'reused', 'GATHERED facts'], ['review', 'completed', 'REVIEWED']]);
    });

    it('marks a bad step in .nyx/workflows/*.yaml, naming it, and completes earlier step names', async () => {
      const api = await ensureConnected();
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const uri = vscode.Uri.joinPath(folder, '.nyx', 'workflows', 'review.yaml');
      const text = ['steps:', '  - name: gather', '    persona: test-engineer', '    prompt: Facts about {{input}}', '  - name: review', '    persona: security-auditor', '    prompt: Check {{steps.later.output}} and {{steps.', ''].join('\n');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const diagnostics = await waitFor('the diagnostics', () => {
        const found = vscode.languages.getDiagnostics(uri);
        return found.length > 0 ? found : undefined;
      });
      const problem = diagnostics.find((diagnostic) => diagnostic.message.includes('{{steps.later.output}}'));
      assert.ok(problem, diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
      assert.match(problem.message, /^step 2 "review": /);
      assert.equal(problem.range.start.line, 6);
      assert.equal(document.getText(problem.range), '{{steps.later.output}}');
      assert.equal(api.team.workflowDiagnostics.collection.get(uri)?.length, diagnostics.length);

      const end = document.lineAt(6).range.end;
      const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, end, '.');
      const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      assert.ok(labels.includes('steps.gather.output'), labels.join(', '));
      assert.ok(!labels.includes('steps.review.output'), 'a step cannot reference itself');
      assert.ok(labels.includes('project.name') && labels.includes('input'));
      await vscode.workspace.fs.delete(uri);
    });

    it('"Nyx: Sync Workflows" sends the workspace files to the server', async () => {
      const folder = vscode.workspace.workspaceFolders![0]!.uri;
      const name = `synced-${Date.now().toString(36)}`;
      const uri = vscode.Uri.joinPath(folder, '.nyx', 'workflows', `${name}.yaml`);
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(['description: From the workspace', 'steps:', '  - name: only', '    persona: software-architect', '    prompt: Sketch {{input}}', ''].join('\n')));
      try {
        const result = await vscode.commands.executeCommand<{ items: Array<{ name: string; status: string }> }>('nyx.syncWorkflows');
        assert.deepEqual(result?.items.find((item) => item.name === name)?.status, 'created');
        const listed = await callServer<{ items: Workflow[] }>('GET', '/api/v1/workflows');
        const synced = listed.items.find((item) => item.name === name);
        assert.equal(synced?.source, 'workspace');
        assert.equal(synced?.description, 'From the workspace');
      } finally {
        await vscode.workspace.fs.delete(uri);
      }
    });
  });
});
