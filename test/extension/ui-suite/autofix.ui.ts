// UI test: "Nyx: Refactor Selection..." as a user runs it. Select the loop of src/pricing.js,
// run the command from the palette, type the instruction, keep the default persona, pick the
// model served by a loopback OpenAI fake (configured on the live server through the API), see
// the diff editor, click Apply in its title bar. Saves test-results/autofix-diff-preview.png.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AutofixState } from '#protocol/autofix.ts';
import type { Run } from '#protocol/runs.ts';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const SQUIGGLE = '.monaco-editor .view-overlays [class*="squiggly-"]';
const LOOP = ['  for (let i = 0; i < items.length; i++) {', '    total += items[i].price * items[i].quantity;', '  }'].join('\n');
const REDUCED = '  total = items.reduce((sum, item) => sum + item.price * item.quantity, 0);';

describe('Refactor a selection from the palette, review the diff, apply', () => {
  const projectName = `UI refactor ${Date.now().toString(36)}`;
  let fake: FakeOpenAI;
  let projectId: string;

  before(async () => {
    fake = await startFakeOpenAI();
    await callServer('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-autofix-ui', baseUrl: fake.url });
    projectId = (await callServer<{ id: string }>('POST', '/api/v1/projects', { name: projectName })).id;
  });

  after(async () => {
    await callServer('DELETE', '/api/v1/providers/openai').catch(() => undefined);
    await fake?.close();
    await workbench().runCommand('Notifications: Clear All Notifications');
    await workbench().runCommand('View: Close All Editors');
  });

  it('asks the instruction, persona and model, shows the diff, and Apply in the diff title bar edits the file', async () => {
    const ui = workbench();
    const page = ui.page;
    await workbench().selectProject(projectName);

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

    const [run] = (await callServer<{ items: Run[] }>('GET', `/api/v1/runs?projectId=${projectId}&kind=refactor`)).items;
    assert.ok(run, 'no refactor run on the server');
    assert.equal(run.input.instruction, 'Use reduce instead of the index loop');
    assert.deepEqual(run.input.range, { path: 'src/pricing.js', startLine: 4, startColumn: 1, endLine: 7, endColumn: 1 });
    assert.equal(run.input.model, 'gpt-4.1-mini');
    const state = await callServer<AutofixState>('GET', `/api/v1/autofix/${run.id}`);
    assert.deepEqual(state.applications.map((application) => application.path), ['src/pricing.js']);
  });
});

// UI test: "Nyx: Auto-Fix Findings in File" on a file with two findings and no AI provider, as a
// new user meets it. The picker marks which fix the analyzers make ($(wrench)) and which needs a
// model ($(sparkle)); accepting both still fixes the first, shows its diff, and reports the second
// as skipped with a button that opens provider setup. Saves test-results/autofix-several-pick.png
// and autofix-several-skipped.png.
describe('Auto-fix several findings without an AI provider', function () {
  this.timeout(120_000);
  const projectName = `UI autofix several ${Date.now().toString(36)}`;
  const fileName = 'ui_several.py';
  let folder = '';

  before(async () => {
    const catalog = await callServer<{ configuredProviders: string[] }>('GET', '/api/v1/models');
    for (const provider of catalog.configuredProviders) await callServer('DELETE', `/api/v1/providers/${provider}`);
    await callServer('POST', '/api/v1/projects', { name: projectName });
    folder = new URL(workbench().page.url()).searchParams.get('folder') ?? '';
    assert.ok(folder, 'the window has no folder');
    writeFileSync(path.join(folder, 'src', fileName), 'import requests\n\n\ndef get(url, code):\n    eval(code)\n    return requests.get(url, verify=False)\n');
  });

  after(async () => {
    await workbench().runCommand('Notifications: Clear All Notifications');
    await workbench().runCommand('View: Close All Editors');
    rmSync(path.join(folder, 'src', fileName), { force: true });
  });

  it('the picker marks what needs a model; the analyzer fix runs and the other is reported as skipped with Configure Provider', async () => {
    const ui = workbench();
    const page = ui.page;
    await ui.selectProject(projectName);
    // Open the file from the Explorer and save an edit: live analysis reports both findings.
    await ui.runCommand('View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    const file = explorer.locator('.monaco-list-row', { hasText: new RegExp(`^${fileName.replace('.', '\\.')}$`) }).first();
    if (!(await file.isVisible())) await explorer.locator('.monaco-list-row[aria-level="2"]', { hasText: /^src$/ }).first().click();
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    await file.click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'def get' }).first().waitFor();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# fetches a page\n');
    await page.keyboard.press('Control+S');
    await page.locator(SQUIGGLE).nth(1).waitFor({ state: 'visible', timeout: 30_000 });

    await ui.runFromPalette('Nyx: Auto-Fix Findings in File');
    const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
    const fixable = rows.filter({ has: page.locator('.codicon-wrench') });
    const needsModel = rows.filter({ has: page.locator('.codicon-sparkle') });
    // The rows are drawn before their icons: wait for both kinds before counting.
    await fixable.first().waitFor({ state: 'visible', timeout: 10_000 });
    await needsModel.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await fixable.count(), 1, 'one row with an analyzer fix');
    assert.equal(await needsModel.count(), 1, 'one row that needs a model');
    assert.match(await fixable.innerText(), /Analyzer fix, no model needed/);
    assert.match(await needsModel.innerText(), /Needs an AI model/);
    await page.waitForTimeout(300); // the picker fades in: let the picture show it whole
    await ui.screenshot('autofix-several-pick');
    await page.keyboard.press('Enter'); // both are checked

    const warning = await ui.waitForNotification(/skipped 1 finding \(dynamic-eval\) needs an AI model/, 15_000);
    const tab = page.locator('.tabs-container .tab', { hasText: `${fileName} ↔ Nyx proposal` });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-diff-editor .modified-in-monaco-diff-editor .view-lines', { hasText: 'verify=True' }).first().waitFor({ timeout: 10_000 });
    await ui.screenshot('autofix-several-skipped');

    await page.locator('.editor-actions .action-label[aria-label="Discard Proposed Change"]').first().click();
    await tab.waitFor({ state: 'detached', timeout: 15_000 });
    await warning.getByRole('button', { name: 'Configure Provider' }).click();
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: 'Nyx: Configure AI Provider' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');
  });
});
