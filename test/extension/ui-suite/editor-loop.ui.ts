// UI test: the daily loop as a user sees it. Type a vulnerable line, save, and the squiggle appears
// without running any command (live analysis); hover it for severity, rule, CWE and OWASP; open
// the quick-fix menu (the fix first, dismissal last) and apply the fix: the squiggle goes at once.
// Undo brings it back; the details panel opens from the hover, and triage from it (false positive,
// then Undo) changes what the whole team counts. Saves test-results/live-analysis-on-save.png,
// finding-hover.png, quick-fix-menu.png, finding-details.png and finding-triaged.png.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { workbench } from '../ui.ts';

const SQUIGGLE = '.monaco-editor .view-overlays [class*="squiggly-"]';

describe('Live analysis, hover and quick fix in the editor', function () {
  this.timeout(120_000);
  const projectName = `UI live ${Date.now().toString(36)}`;
  const server = JSON.parse(readFileSync(process.env.NYX_TEST_CREDENTIALS_FILE!, 'utf8')) as { serverUrl: string; token: string };
  let folder = '';

  before(async () => {
    const response = await fetch(new URL('/api/v1/projects', server.serverUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: projectName }),
    });
    assert.equal(response.status, 201, await response.text());
    folder = new URL(workbench().page.url()).searchParams.get('folder') ?? '';
    assert.ok(folder, 'the window has no folder');
    writeFileSync(path.join(folder, 'src', 'ui_live.py'), 'import requests\n\n\ndef get(url):\n    return requests.get(url)\n');
  });

  after(async () => {
    await workbench().runCommand('View: Close All Editors');
    await workbench().runCommand('Notifications: Clear All Notifications');
    rmSync(path.join(folder, 'src', 'ui_live.py'), { force: true });
  });

  it('saving a newly vulnerable line shows its squiggle with no command run', async () => {
    const ui = workbench();
    const page = ui.page;
    await workbench().selectProject(projectName);
    // From the Explorer, as a user opens a file they just created (quick open's search index may not list it yet).
    await ui.runCommand('View: Show Explorer');
    const explorer = page.locator('.explorer-folders-view');
    const file = explorer.locator('.monaco-list-row', { hasText: /^ui_live\.py$/ }).first();
    if (!(await file.isVisible())) await explorer.locator('.monaco-list-row[aria-level="2"]', { hasText: /^src$/ }).first().click();
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    await file.click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'def get' }).first().waitFor();
    assert.equal(await page.locator(SQUIGGLE).count(), 0, 'a squiggle before the edit');
    await (await ui.openCommandPalette()).fill(':5');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(', verify=False)');
    await page.keyboard.press('Control+S');
    await page.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 30_000 });
    await ui.screenshot('live-analysis-on-save');
  });

  it('the hover shows severity, rule, CWE and OWASP; the quick-fix menu has the fix first and dismissal last; the fix removes the squiggle at once', async () => {
    const ui = workbench();
    const page = ui.page;
    await hoverSquiggle(page);
    const hover = page.locator('.monaco-hover', { hasText: 'nyx/' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await hover.innerText();
    assert.match(text, /Nyx (error|warning)/);
    assert.match(text, /CWE-295/);
    assert.match(text, /OWASP/);
    assert.match(text, /Fix:/);
    await ui.screenshot('finding-hover');
    await page.keyboard.press('Escape');

    // The cursor is on the finding's line (after the typed text): open the quick-fix menu.
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+.');
    // The menu, not its (empty) submenu panel, which carries the same class.
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor({ state: 'visible', timeout: 10_000 });
    const items = (await menu.locator('.monaco-list-row.action').allInnerTexts()).map((item) => item.trim()).filter(Boolean);
    assert.match(items[0]!, /^Apply fix: /, items.join(' | '));
    assert.match(items.at(-1)!, /^Dismiss for the team: /, items.join(' | '));
    await ui.screenshot('quick-fix-menu');
    await menu.locator('.monaco-list-row.action', { hasText: 'Apply fix: ' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'verify=True' }).first().waitFor({ timeout: 5_000 });
    await page.locator(SQUIGGLE).first().waitFor({ state: 'detached', timeout: 3_000 });
  });

  it('undo brings the squiggle back (the undone text is analyzed), and the hover opens the finding details', async () => {
    const ui = workbench();
    const page = ui.page;
    await page.keyboard.press('Control+Z');
    await page.locator('.monaco-editor .view-lines', { hasText: 'verify=False' }).first().waitFor({ timeout: 5_000 });
    await page.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 30_000 });
    await hoverSquiggle(page);
    const hover = page.locator('.monaco-hover', { hasText: 'nyx/' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    await hover.locator('a', { hasText: 'Details' }).first().click();
    const details = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await details.locator('#facts .badge', { hasText: 'CWE-295' }).waitFor({ timeout: 20_000 });
    assert.ok(await details.locator('#examples').isVisible(), 'no examples in the details');
    assert.ok(await details.locator('#history').isVisible(), 'no triage history in the details');
    await ui.screenshot('finding-details');
  });

  it('triage from the details panel: "False positive" with a reason takes the finding off the team\'s list; Undo in the panel puts it back', async () => {
    const ui = workbench();
    const page = ui.page;
    const details = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const before = await openErrors();
    await details.locator('#triage').click();
    await ui.pick('False positive');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'False positive' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.quick-input-widget input').fill('the URL is our own service, pinned elsewhere');
    await page.keyboard.press('Enter');
    await ui.waitForNotification(/marked false positive for the team/, 15_000);
    await details.locator('#facts .badge', { hasText: 'dismissed: false positive' }).waitFor({ timeout: 15_000 });
    await details.locator('#history li', { hasText: 'the URL is our own service' }).waitFor({ timeout: 10_000 });
    await waitForOpenErrors(before - 1);
    await ui.screenshot('finding-triaged');

    await details.locator('#undo').click();
    await details.locator('#facts .badge', { hasText: /^open$/ }).waitFor({ timeout: 15_000 });
    await details.locator('#history li.undone').first().waitFor({ timeout: 10_000 });
    await waitForOpenErrors(before);
  });
});

/** The errors the Nyx findings status item counts ("Nyx findings: 3 errors, …"). */
async function openErrors(): Promise<number> {
  const item = (await workbench().statusBarItems()).find((entry) => /^Nyx findings: \d+ errors?,/.test(entry.ariaLabel));
  assert.ok(item, 'no Nyx findings item in the status bar');
  return Number(/(\d+) errors?,/.exec(item.ariaLabel)![1]);
}

async function waitForOpenErrors(expected: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let count = await openErrors(); count !== expected; count = await openErrors()) {
    if (Date.now() > deadline) throw new Error(`the status bar counts ${count} open errors, expected ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Hovers the first squiggle with the mouse, where a user points. The squiggle is drawn under the
 * text layer, so Playwright's own hover refuses it (the text "intercepts pointer events") and, on
 * the way, scrolls the editor's clipped container natively, which hides the line under the
 * sticky-scroll header. Moving the mouse to the squiggle's box does neither.
 */
async function hoverSquiggle(page: Page): Promise<void> {
  const squiggle = page.locator(SQUIGGLE).first();
  await squiggle.waitFor({ state: 'visible', timeout: 10_000 });
  const box = await squiggle.boundingBox();
  assert.ok(box, 'the squiggle has no box on screen');
  await page.mouse.move(box.x + box.width / 2 - 2, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}
