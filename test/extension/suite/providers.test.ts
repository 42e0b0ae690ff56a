// Provider setup and first contact, in a real VS Code against the live server: Configure AI
// Provider for an OpenAI-compatible server (a loopback fake speaking /v1/models and Chat
// Completions), the test call, the status bar tooltip, errors with their fix instead of a REST
// call, discussions refusing early without a provider, the walkthrough on first start, the run
// dashboard's summary, runs rows with time and duration, memory relevance in words.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MemorySearchHit } from '#protocol/memory.ts';
import type { Project } from '#protocol/projects.ts';
import type { Run } from '#protocol/runs.ts';
import type { RunDashboardView } from '#protocol/webview.ts';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { ServerProblemError } from '../../../extension/api/errors.ts';
import { fixesFor, withoutRestHints } from '../../../extension/api/user-facing.ts';
import { describeRelevance } from '../../../extension/memory/relevance.ts';
import type { ConfigureProviderResult } from '../../../extension/providers/configure-provider.command.ts';
import { WALKTHROUGH_SHOWN_KEY } from '../../../extension/first-contact/walkthrough.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const MODELS = ['qwen2.5-coder:7b', 'llama3.2:3b'];

describe('Providers and first contact', function () {
  this.timeout(60_000);
  let fake: FakeOpenAI;

  before(async () => {
    fake = await startFakeOpenAI({ models: MODELS });
    await ensureConnected();
  });

  after(async () => {
    await removeCompatibleSetup();
    await fake?.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('without a provider: the error offers Configure Provider, and names no REST call', async () => {
    const api = await ensureConnected();
    await removeCompatibleSetup();
    const error = await api.connection
      .requireClient()
      .testProvider('openai')
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    assert.ok(ServerProblemError.is(error), `expected a problem, got ${String(error)}`);
    assert.match(error.message, /\/api\/v1\/providers/, 'the server names the REST call for API users');
    assert.deepEqual(fixesFor(error).map((fix) => fix.title), ['Configure Provider']);
    const shown = withoutRestHints(error.message);
    assert.doesNotMatch(shown, /\/api\/v1|PUT /, shown);
    assert.match(shown, /No AI provider is configured/);
    assert.equal((await api.providers.refresh()).kind, 'none');
    assert.match(api.statusBar.tooltip, /AI provider: none configured/);
  });

  it('a discussion without a provider stops before its first question', async () => {
    const before = await callServer<{ items: Run[] }>('GET', '/api/v1/runs?kind=discussion&limit=100');
    // Without the check, an input box would open and the command would wait for an answer.
    const outcome = await Promise.race([
      vscode.commands.executeCommand('nyx.startDiscussion').then(() => 'returned'),
      new Promise((resolve) => setTimeout(() => resolve('still asking'), 8_000)),
    ]);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(outcome, 'returned');
    const after = await callServer<{ items: Run[] }>('GET', '/api/v1/runs?kind=discussion&limit=100');
    assert.equal(after.items.length, before.items.length, 'no discussion run was started');
  });

  it('configures an OpenAI-compatible server: lists its models, registers the picked one, tests it, shows it in the tooltip', async () => {
    const api = await ensureConnected();
    fake.plan({ text: 'OK' });
    const result = await vscode.commands.executeCommand<ConfigureProviderResult>('nyx.configureProvider', {
      provider: 'openai-compatible',
      baseUrl: fake.url,
      apiKey: '',
      models: ['qwen2.5-coder:7b'],
    });
    assert.ok(result, 'the command failed (see the Nyx log)');
    assert.equal(result.info.baseUrl, fake.url);
    assert.deepEqual(result.registered, ['qwen2.5-coder:7b']);
    assert.ok(result.test.ok, JSON.stringify(result.test));
    assert.equal(result.test.result.model, 'qwen2.5-coder:7b');
    assert.ok(fake.requests.some((request) => request.method === 'GET' && request.path === '/v1/models'), 'the server asked the models');
    assert.equal(fake.requests.at(-1)!.body.model, 'qwen2.5-coder:7b', 'the test call went to the picked model');

    const catalog = await callServer<{ models: Array<{ id: string; provider: string; custom: boolean }>; configuredProviders: string[] }>('GET', '/api/v1/models');
    assert.ok(catalog.models.some((model) => model.id === 'qwen2.5-coder:7b' && model.provider === 'openai-compatible' && model.custom));
    assert.ok(!catalog.models.some((model) => model.id === 'llama3.2:3b'), 'only the picked model is registered');
    await waitFor('the tooltip to show the provider and its test', () => /AI provider: openai-compatible.*test OK: qwen2\.5-coder:7b answered in \d+ ms/.test(api.statusBar.tooltip));

    // Configuring again keeps the registered model and registers nothing twice.
    fake.plan({ text: 'OK' });
    const again = await vscode.commands.executeCommand<ConfigureProviderResult>('nyx.configureProvider', { provider: 'openai-compatible', baseUrl: fake.url, apiKey: '', models: MODELS });
    assert.ok(again?.test.ok);
    const after = await callServer<{ models: Array<{ id: string }> }>('GET', '/api/v1/models');
    assert.deepEqual(after.models.filter((model) => MODELS.includes(model.id)).map((model) => model.id).sort(), [...MODELS].sort());
  });

  it('a failing test is recorded with the reason, in words the editor can show', async () => {
    const api = await ensureConnected();
    fake.plan({ status: 401, message: 'Invalid API key' });
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('nyx.testProvider', { provider: 'openai-compatible', model: 'qwen2.5-coder:7b' });
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.message!, /API key is invalid/);
    await waitFor('the tooltip to show the failed test', () => /test FAILED: .*API key is invalid/.test(api.statusBar.tooltip));
    assert.doesNotMatch(api.statusBar.tooltip, /\/api\/v1/);
  });

  it('opens the walkthrough on the first start only, unless walkthroughs are turned off', async () => {
    const api = await ensureConnected();
    const welcome = vscode.workspace.getConfiguration('workbench.welcomePage');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    try {
      await api.globalState.update(WALKTHROUGH_SHOWN_KEY, undefined);
      await welcome.update('walkthroughs.openOnInstall', false, vscode.ConfigurationTarget.Global);
      assert.equal(await api.openWalkthroughOnFirstInstall(), false, 'turned off by the user');
      assert.equal(api.globalState.get(WALKTHROUGH_SHOWN_KEY), true);

      await api.globalState.update(WALKTHROUGH_SHOWN_KEY, undefined);
      await welcome.update('walkthroughs.openOnInstall', true, vscode.ConfigurationTarget.Global);
      assert.equal(await api.openWalkthroughOnFirstInstall(), true);
      await waitFor('the walkthrough tab', () => allTabs().some((tab) => /Welcome|Walkthrough|Get started/i.test(tab.label)), 10_000);
      assert.equal(await api.openWalkthroughOnFirstInstall(), false, 'never twice');
    } finally {
      await welcome.update('walkthroughs.openOnInstall', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('shows a finished run as a summary in words with the JSON folded, and its row with time and duration', async () => {
    const api = await ensureConnected();
    const project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('First contact') });
    const started = await callServer<Run>('POST', '/api/v1/runs', { kind: 'selftest', projectId: project.id, input: { events: 3, seconds: 0.3, nonce: uniqueName('n') } });
    const run = await waitFor('the run to finish', async () => {
      const current = await callServer<Run>('GET', `/api/v1/runs/${started.id}`);
      return current.status === 'succeeded' ? current : undefined;
    });
    await vscode.commands.executeCommand('nyx.openRun', run.id);
    const dashboard = api.dashboards.get(run.id);
    assert.ok(dashboard);
    const view = await waitFor('the summary', async () => {
      const described: RunDashboardView = await dashboard.host.request('describeView', {});
      return described.resultSummary?.length ? described : undefined;
    });
    assert.deepEqual(view.resultSummary, ['Self-test passed: 3 events streamed']);
    assert.equal(view.rawResultFolded, true);

    await waitFor('the run in the store', () => api.runs.runs.some((candidate) => candidate.id === run.id && candidate.status === 'succeeded'));
    const row = api.runsTree.getTreeItem(api.runs.runs.find((candidate) => candidate.id === run.id)!);
    assert.match(String(row.description), /^(just now|\d+ min ago) · \d+(\.\d)? s · succeeded$/);
    assert.match((row.tooltip as vscode.MarkdownString).value, /Took \d+(\.\d)? s/);
  });

  it('says how relevant a memory hit is with a bar and a word, not a score', () => {
    const hit = (score: number, vectorRank: number | null, textRank: number | null) => ({ score, vectorRank, textRank }) as MemorySearchHit;
    const best = describeRelevance(hit(0.0328, 1, 1), 0.0328);
    assert.deepEqual(best, { bar: '●●●●●', word: 'best match', foundBy: 'same meaning and words' });
    const weaker = describeRelevance(hit(0.0156, 5, null), 0.0328);
    assert.equal(weaker.word, 'weak');
    assert.equal(weaker.foundBy, 'similar meaning');
    assert.match(weaker.bar, /^●{2}○{3}$/);
  });
});

function allTabs(): readonly vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs);
}

/** The shared tenant goes back to no provider, as the other suites expect. */
async function removeCompatibleSetup(): Promise<void> {
  for (const id of MODELS) await callServer('DELETE', `/api/v1/models/${encodeURIComponent(id)}`).catch(() => undefined);
  await callServer('DELETE', '/api/v1/providers/openai-compatible').catch(() => undefined);
}
