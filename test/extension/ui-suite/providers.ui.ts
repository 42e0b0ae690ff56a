// UI test of provider setup, as a user does it: "Nyx: Configure AI Provider" from the palette,
// "OpenAI-compatible server", its base URL, no key, then the models the server lists (a loopback
// fake speaking /v1/models and Chat Completions): one checked, OK. The test call's outcome arrives
// as a notification and in the status bar. A wrong URL gets an error with a Configure Provider
// button, no REST call, and stores nothing. Screenshots to test-results/.
import assert from 'node:assert/strict';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const MODELS = ['qwen2.5-coder:7b', 'llama3.2:3b'];

describe('Providers: Configure AI Provider from the palette', function () {
  this.timeout(90_000);
  let fake: FakeOpenAI;

  before(async () => {
    fake = await startFakeOpenAI({ models: MODELS });
    fake.setDefault({ text: 'OK' });
    await removeSetup();
    await workbench().runCommand('View: Close All Editors');
    // The in-host suites leave their notifications: a toast of theirs must not pass for ours.
    await workbench().runCommand('Notifications: Clear All Notifications');
  });

  after(async () => {
    await workbench().page.keyboard.press('Escape');
    await removeSetup();
    await fake?.close();
  });

  // Before, not after: the runner's failure screenshot should still show the open pick.
  beforeEach(async () => {
    await workbench().page.keyboard.press('Escape');
  });

  it('lists the server\'s models, registers the checked one and says the test call worked', async () => {
    const page = workbench().page;
    await workbench().runFromPalette('Nyx: Configure AI Provider');
    await workbench().pick('OpenAI-compatible server');
    await typeIntoQuickInput(/base URL/, fake.url);
    await typeIntoQuickInput(/API key/, ''); // no key: a local server
    const row = quickInputRow('qwen2.5-coder:7b');
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await quickInputRow('llama3.2:3b').count(), 1, 'every model the server lists is offered');
    await workbench().screenshot('provider-models-pick');
    await row.locator('.label-name', { hasText: 'qwen2.5-coder:7b' }).click(); // a click on a row of a multi-select pick checks it
    await page.locator(`${QUICK_INPUT} .quick-input-count`, { hasText: /1 Selected/ }).waitFor({ state: 'visible', timeout: 5_000 });
    await page.locator(`${QUICK_INPUT} .quick-input-action`, { hasText: 'OK' }).click();

    const toast = await workbench().waitForNotification(/OpenAI-compatible server is configured with model qwen2\.5-coder:7b and works: qwen2\.5-coder:7b answered in \d+ ms/, 20_000);
    assert.ok(await toast.isVisible());
    await workbench().screenshot('provider-configured');
    const catalog = await callServer<{ models: Array<{ id: string; provider: string }> }>('GET', '/api/v1/models');
    assert.deepEqual(catalog.models.filter((model) => model.provider === 'openai-compatible').map((model) => model.id), ['qwen2.5-coder:7b']);

    const status = (await workbench().statusBarItems()).find((item) => /Nyx: connected/.test(item.text));
    assert.ok(status, 'the Nyx status bar item');
    assert.match(status.ariaLabel, /AI provider: openai-compatible.*test OK: qwen2\.5-coder:7b answered in \d+ ms/);
  });

  it('an unreachable URL: an error with a Configure Provider button and no REST call; nothing stored', async () => {
    await workbench().runFromPalette('Nyx: Configure AI Provider');
    await workbench().pick('OpenAI-compatible server');
    await typeIntoQuickInput(/base URL/, 'http://127.0.0.1:9/v1');
    await typeIntoQuickInput(/API key/, '');
    const toast = await workbench().waitForNotification(/Could not reach openai-compatible at http:\/\/127\.0\.0\.1:9\/v1/, 20_000);
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.doesNotMatch(text, /\/api\/v1|PUT |POST /, text);
    assert.ok(await toast.getByRole('button', { name: 'Configure Provider' }).isVisible(), text);
    await workbench().screenshot('provider-unreachable');
    const providers = await callServer<{ items: Array<{ provider: string; baseUrl: string | null }> }>('GET', '/api/v1/providers');
    assert.equal(providers.items.find((item) => item.provider === 'openai-compatible')?.baseUrl, fake.url, 'the wrong URL was not stored');
  });
});

function quickInputRow(label: string) {
  const page = workbench().page;
  return page.locator(`${QUICK_INPUT} .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: label }) });
}

/** Waits for the input box titled `title` (each step replaces the last), types and presses Enter. */
async function typeIntoQuickInput(title: RegExp, text: string): Promise<void> {
  const page = workbench().page;
  await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: title }).waitFor({ state: 'visible', timeout: 10_000 });
  const input = page.locator(`${QUICK_INPUT} input:not([type=checkbox])`).first();
  await input.fill(text);
  await input.press('Enter');
}

async function removeSetup(): Promise<void> {
  for (const id of MODELS) await fetchQuietly('DELETE', `/api/v1/models/${encodeURIComponent(id)}`);
  await fetchQuietly('DELETE', '/api/v1/providers/openai-compatible');
}

async function fetchQuietly(method: string, path: string): Promise<void> {
  await callServer(method, path).catch(() => undefined);
}
