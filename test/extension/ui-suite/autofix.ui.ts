// UI test: "Nyx: Refactor Selection..." as a user runs it. Select the loop of src/pricing.js,
// run the command from the palette, type the instruction, keep the default persona, pick the
// model served by a loopback OpenAI fake (configured on the live server through the API), see
// the diff editor, click Apply in its title bar. Saves test-results/autofix-diff-preview.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AutofixState } from '#protocol/autofix.ts';
import type { Run } from '#protocol/runs.ts';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const LOOP = ['  for (let i = 0; i < items.length; i++) {', '    total += items[i].price * items[i].quantity;', '  }'].join('\n');
const REDUCED = '  total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);';

describe('Refactor a selection from the palette, review the diff, apply', () => {
  const projectName = `UI refactor ${Date.now().toString(36)}`;
  let fake: FakeOpenAI;
  let projectId: string;
  const server = JSON.parse(readFileSync(process.env.NYX_TEST_CREDENTIALS_FILE!, 'utf8')) as { serverUrl: string; token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, server.serverUrl), {
      method,
      headers: { authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  before(async () => {
    fake = await startFakeOpenAI();
    await call('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-autofix-ui', baseUrl: fake.url });
    projectId = (await call<{ id: string }>('POST', '/api/v1/projects', { name: projectName })).id;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await workbench().screenshot(`ui-failed-${this.currentTest.title}`);
  });

  after(async () => {
    await call('DELETE', '/api/v1/providers/openai').catch(() => undefined);
    await fake?.close();
    await workbench().runCommand('Notifications: Clear All Notifications');
    await workbench().runCommand('View: Close All Editors');
  });

  it('asks the instruction, persona and model, shows the diff, and Apply in the diff title bar edits the file', async () => {
    const ui = workbench();
    const page = ui.page;
    await workbench().runFromPalette('Nyx: Select Project');
    await workbench().pick(projectName);

    // Open src/pricing.js (quick open: the palette without ">") and select the loop (lines 4-6).
    await (await ui.openCommandPalette()).fill('pricing.js');
    await workbench().pick('pricing.js');
    await page.locator('.monaco-editor .view-lines', { hasText: 'cartTotal' }).first().waitFor();
    await (await ui.openCommandPalette()).fill(':4');
    await page.keyboard.press('Enter');
    await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    for (let line = 0; line < 3; line++) await page.keyboard.press('Shift+ArrowDown');

    const answer = JSON.stringify({ rationale: 'Sum with `reduce`: one expression, no index.', files: [{ path: 'src/pricing.js', edits: [{ search: LOOP, replace: REDUCED }] }] });
    fake.plan({ text: answer, chunkDelayMs: 60 });
    await workbench().runFromPalette('Nyx: Refactor Selection...');
    const input = page.locator(`${QUICK_INPUT} input`);
    await input.waitFor({ state: 'visible' });
    await input.fill('Use reduce instead of the index loop');
    await page.keyboard.press('Enter');
    await workbench().pick('Default'); // persona
    await input.fill('gpt-4.1-mini'); // the model the fake serves
    await page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: 'gpt-4.1-mini' }).first().click();

    const tab = page.locator('.tabs-container .tab', { hasText: 'pricing.js ↔ Nyx proposal' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.locator('.modified-in-monaco-diff-editor .view-lines', { hasText: 'items.reduce' }).waitFor({ timeout: 10_000 });
    await ui.waitForNotification(/proposes a change to src\/pricing\.js/, 10_000);
    await ui.screenshot('autofix-diff-preview');

    await page.locator('.editor-actions .action-label[aria-label="Apply Proposed Change"]').first().click();
    await tab.waitFor({ state: 'detached', timeout: 15_000 });
    await ui.waitForNotification(/applied to src\/pricing\.js/, 15_000);
    await page.locator('.monaco-editor .view-lines', { hasText: 'items.reduce' }).first().waitFor({ timeout: 10_000 });

    const [run] = (await call<{ items: Run[] }>('GET', `/api/v1/runs?projectId=${projectId}&kind=refactor`)).items;
    assert.ok(run, 'no refactor run on the server');
    assert.equal(run.input.instruction, 'Use reduce instead of the index loop');
    assert.deepEqual(run.input.range, { path: 'src/pricing.js', startLine: 4, startColumn: 1, endLine: 7, endColumn: 1 });
    assert.equal(run.input.model, 'gpt-4.1-mini');
    const state = await call<AutofixState>('GET', `/api/v1/autofix/${run.id}`);
    assert.deepEqual(state.applications.map((application) => application.path), ['src/pricing.js']);
  });
});


