// UI test: workspace trust is on, as users have it. The runner trusted the fixture folder through
// the startup dialog; here a folder nobody trusted opens in Restricted Mode (the user answers "No"),
// and Nyx is still there: its views, the explanation, and commands that wait for trust instead of
// uploading. That browser never ran Nyx, so its first start opens the walkthrough by itself.
// Saves test-results/restricted-mode.png.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workbench, Workbench } from '../ui.ts';

describe('Workspace trust: Nyx in Restricted Mode', function () {
  // A second window: its own workbench load and extension host.
  this.timeout(180_000);
  let untrusted: Workbench | undefined;

  // The runner saves the main window when a test fails; this suite has a second one.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await untrusted?.screenshot(`ui-failed-untrusted-window-${this.currentTest.title}`);
  });

  after(async () => {
    await untrusted?.page.close();
    await workbench().focus();
  });

  it('the fixture window is trusted (the runner trusted the folder through the UI, as a user does)', async () => {
    assert.equal(await workbench().isRestrictedMode(), false);
  });

  it('an untrusted folder shows the Nyx view with the explanation, and analysis waits for trust', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'nyx-untrusted-'));
    writeFileSync(path.join(folder, 'app.js'), 'eval(process.argv[2]);\n');
    const browser = workbench().page.context().browser();
    assert.ok(browser);
    // A browser context of its own: nothing this browser trusted before applies.
    untrusted = new Workbench(await browser.newPage({ viewport: { width: 1400, height: 900 } }));
    const origin = new URL(workbench().page.url()).origin;
    await untrusted.open(`${origin}/?folder=${encodeURIComponent(folder)}`, 60_000, 'restricted');
    await untrusted.waitForExtensionsActivated(60_000);
    assert.equal(await untrusted.isRestrictedMode(), true, 'the window is not in Restricted Mode');

    const page = untrusted.page;
    await page.locator('.activitybar .action-label[aria-label^="Nyx"]').click({ timeout: 30_000 });
    const findings = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Findings' }) }).first();
    const header = findings.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const welcome = findings.locator('.welcome-view-content', { hasText: 'Restricted Mode' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await welcome.innerText(), /does not analyze this folder until you trust it/);
    assert.ok(await welcome.getByRole('button', { name: 'Manage Workspace Trust' }).isVisible());
    await untrusted.screenshot('restricted-mode');

    await untrusted.runCommand('Nyx: Analyze Workspace');
    const toast = await untrusted.waitForNotification('Restricted Mode', 15_000);
    assert.match(await toast.innerText(), /Nyx does not analyze this folder \(it uploads its files\) in Restricted Mode/);
    assert.ok(await toast.getByRole('button', { name: 'Manage Workspace Trust' }).isVisible());
  });

  it('a first start (a browser that never ran Nyx) opens the "Get started with Nyx" walkthrough by itself', async () => {
    assert.ok(untrusted, 'the previous test opened no window');
    const page = untrusted.page;
    const walkthrough = page.locator('.part.editor', { hasText: 'Get started with Nyx' }).first();
    await walkthrough.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await walkthrough.innerText(), /Start the Nyx server/);
  });
});
