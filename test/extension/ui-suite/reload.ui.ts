// UI test of reload safety, as a user meets it (Chromium over code-server): a run is clicked in
// the Runs view and opens in the panel of its kind (discussion, workflow run, dashboard), the
// window is reloaded while the run is still going, and the restored panel continues from the
// event stream to the end: no "Not signed in" toast, no panel frozen at "running", nothing shown
// twice. The report viewer is restored the same way. A loopback OpenAI fake answers slowly
// enough for the reload to land mid-run.
import assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, workbench } from '../ui.ts';

/** 24 words at 200 ms each: about 5 s per answer, so a reload lands mid-run. */
const SLOW_WORDS = 24;
const CHUNK_DELAY_MS = 200;
const answer = (topic: string) => Array.from({ length: SLOW_WORDS }, (_, index) => `${topic}${index + 1}`).join(' ');
/** What a restored panel must never say: it asked the server before the connection was back. */
const RESTORE_ERRORS = /Not signed in|Still connecting|Could not load/;

describe('Reload safety: panels restore mid-run and continue from the event stream', function () {
  this.timeout(300_000);
  let fake: FakeOpenAI;
  let projectId: string;
  const projectName = `Reload UI ${Date.now().toString(36)}`;
  const personaIds: string[] = [];

  before(async () => {
    fake = await startFakeOpenAI();
    await callServer('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-reload-ui', baseUrl: fake.url });
    projectId = (await callServer<{ id: string }>('POST', '/api/v1/projects', { name: projectName })).id;
    const library = await callServer<{ items: Array<{ id: string; builtInKey: string | null }> }>('GET', '/api/v1/personas?builtIn=true');
    for (const key of ['security-auditor', 'performance-engineer']) personaIds.push(library.items.find((persona) => persona.builtInKey === key)!.id);
    await closeAllEditors();
    await workbench().selectProject(projectName);
  });

  after(async () => {
    await callServer('DELETE', '/api/v1/providers/openai').catch(() => undefined);
    await fake?.close();
    await closeAllEditors();
  });

  it('discussion: the click opens the conversation; after a reload mid-turn it streams on to the synthesis, each turn once', async () => {
    const turns = [answer('alpha'), answer('beta')];
    fake.plan(...turns.map((text) => ({ text, chunkDelayMs: CHUNK_DELAY_MS })));
    fake.setDefault({ json: { bestApproach: 'Reload-proof approach.', consensusPoints: ['Resume from the last event'], dissentPoints: [], nextSteps: [] } });
    await closeAllEditors();
    await callServer('POST', '/api/v1/discussions', { projectId, topic: 'Does the panel survive a reload?', personaIds, mode: 'debate', rounds: 1 });
    await clickRun('discussion');
    const before = webview();
    await before.locator('#topic', { hasText: 'Does the panel survive a reload?' }).waitFor({ timeout: 15_000 });
    await before.locator('.bubble .text', { hasText: 'alpha2' }).first().waitFor({ timeout: 20_000 });

    const toasts = await reloadWindow(async () => {
      const restored = webview();
      await restored.locator('#synthesis:not([hidden])').waitFor({ timeout: 60_000 });
      await restored.locator('#status', { hasText: 'succeeded' }).waitFor({ timeout: 10_000 });
    });
    assert.doesNotMatch(toasts, RESTORE_ERRORS);
    const restored = webview();
    assert.deepEqual(await restored.locator('.bubble .text').allInnerTexts(), turns, 'both turns, whole and once');
    assert.match(await restored.locator('#best-approach').innerText(), /Reload-proof approach/);
    await workbench().screenshot('reload-discussion-restored');
  });

  it('workflow run: the click opens the steps; after a reload mid-step every step ends completed', async () => {
    const outputs = [answer('gamma'), answer('delta')];
    fake.plan(...outputs.map((text) => ({ text, chunkDelayMs: CHUNK_DELAY_MS })));
    await closeAllEditors();
    const workflow = await callServer<{ id: string }>('POST', '/api/v1/workflows', {
      name: `Reload steps ${Date.now().toString(36)}`,
      steps: [
        { name: 'gather', persona: 'test-engineer', prompt: 'List the facts.' },
        { name: 'review', persona: 'security-auditor', prompt: 'Review: {{steps.gather.output}}' },
      ],
    });
    await callServer('POST', `/api/v1/workflows/${workflow.id}/runs`, { projectId, input: 'reload me' });
    await clickRun('workflow');
    await webview().locator('.step-name', { hasText: 'gather' }).waitFor({ timeout: 15_000 });
    await webview().locator('.step', { hasText: 'gamma2' }).first().waitFor({ timeout: 20_000 });

    const toasts = await reloadWindow(async () => {
      await webview().locator('#status', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    });
    assert.doesNotMatch(toasts, RESTORE_ERRORS);
    const text = await webview().locator('#steps').innerText();
    assert.ok(text.includes(outputs[0]!) && text.includes(outputs[1]!), text);
    assert.equal(text.split(outputs[1]!).length, 2, 'the second output once');
  });

  it('run dashboard: the click on a self-test run opens it; after a reload mid-run it counts every event to the end', async () => {
    await closeAllEditors();
    const run = await callServer<{ id: string }>('POST', '/api/v1/runs', { kind: 'selftest', projectId, input: { events: 30, seconds: 9, nonce: String(Date.now()) } });
    await clickRun('selftest');
    await webview().locator('#progress-text', { hasText: /tick [1-9]\d* of 30/ }).waitFor({ timeout: 15_000 });

    const toasts = await reloadWindow(async () => {
      await webview().locator('#status', { hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    });
    assert.doesNotMatch(toasts, RESTORE_ERRORS);
    const dashboard = webview();
    assert.equal(await dashboard.locator('#progress-text').innerText(), '100% · tick 30 of 30');
    // Every event of the run once, although the stream was resumed: as many as the server wrote.
    const { lastSeq } = await callServer<{ lastSeq: number }>('GET', `/api/v1/runs/${run.id}`);
    assert.equal(await dashboard.locator('#event-count').innerText(), String(lastSeq));
    assert.equal(await dashboard.locator('#event-rows tr').count(), lastSeq);
  });

  it('report viewer: restored after a reload with the report, not an error', async () => {
    await closeAllEditors();
    const report = await callServer<{ id: string; title: string }>('POST', '/api/v1/reports', { projectId, kind: 'analysis', markdown: '# Reload report\n\n## Section one\n\nText.' });
    await workbench().runFromPalette('Nyx: Open Report');
    await workbench().pick(report.title);
    await webview().locator('#title', { hasText: report.title }).waitFor({ timeout: 15_000 });

    const toasts = await reloadWindow(async () => {
      await webview().locator('#title', { hasText: report.title }).waitFor({ timeout: 60_000 });
      await webview().locator('h2', { hasText: 'Section one' }).waitFor({ timeout: 10_000 });
    });
    assert.doesNotMatch(toasts, RESTORE_ERRORS);
    assert.doesNotMatch(await webview().locator('body').innerText(), /Could not load the report/);
  });
});

/**
 * "Developer: Reload Window" from the palette, as a user reloads (it saves the open editors before
 * the page reloads; a bare browser reload may not), then waits for the new workbench and for
 * `restoredUntil`, collecting every toast shown meanwhile.
 */
async function reloadWindow(restoredUntil: () => Promise<void>): Promise<string> {
  const page = workbench().page;
  await workbench().reload();
  const seen = new Set<string>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const text of await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => [])) seen.add(text);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  })();
  try {
    // The new extension host starts, activates Nyx and connects (slow on a loaded machine); the
    // panel was restored before that, which is the case under test.
    await workbench().waitForNyxConnected();
    await restoredUntil();
  } finally {
    watching = false;
    await watch;
  }
  return [...seen].join('\n');
}

/** Clicks the newest run of a kind in the Runs view. */
async function clickRun(kind: string): Promise<void> {
  await workbench().runFromPalette('Nyx: Focus on Runs View');
  const page = workbench().page;
  const runs = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /^Runs/ }) });
  const row: Locator = runs.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${kind}$`) }) }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** The only open webview's document (VS Code nests it in two iframes). */
function webview(): FrameLocator {
  return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function closeAllEditors(): Promise<void> {
  await workbench().runFromPalette('View: Close All Editors');
}

