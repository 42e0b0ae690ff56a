// UI test: findings are the team's. Two workbench windows on the same code-server (two extension
// hosts, like two teammates' editors): analyze in the first, see the findings in the second's
// Problems panel, dismiss in the first, and watch the entry vanish in the second, live.
// Saves test-results/analysis-problems-panel.png (the Problems panel with Nyx findings).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { workbench, Workbench } from '../ui.ts';
import type { StatusBarItem } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const EVAL = 'nyx/dangerous/dynamic-eval';
const TLS = 'nyx/dangerous/tls-verification-disabled';

describe('Findings shared by the team: dismiss in one window, gone in the other', () => {
  const projectName = `UI analysis ${Date.now().toString(36)}`;
  let second: Workbench | undefined;
  /** Open errors after the analysis (other suites may seed more fixture files than server.js's two). */
  let errors = 0;

  before(async () => {
    const { serverUrl, token } = JSON.parse(readFileSync(process.env.NYX_TEST_CREDENTIALS_FILE!, 'utf8')) as { serverUrl: string; token: string };
    const response = await fetch(new URL('/api/v1/projects', serverUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: projectName }),
    });
    assert.equal(response.status, 201, await response.text());
  });

  // The runner saves the main window when a test fails; this suite has a second one.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await second?.screenshot(`ui-failed-second-window-${this.currentTest.title}`);
  });

  after(async () => {
    await second?.page.close();
    await workbench().focus();
    await workbench().runFromPalette('Notifications: Clear All Notifications');
  });

  it('"Nyx: Analyze Workspace" in the first window: progress, then the findings count in the status bar', async () => {
    const first = workbench();
    await first.selectProject(projectName);
    await first.runFromPalette('Nyx: Analyze Workspace');
    await first.waitForNotification(`Nyx: analysis of ${projectName} succeeded`, 30_000);
    // The new project showed 0 until the run's findings are loaded: wait for them, not for any count.
    const label = await waitForFindingsStatus(first, /Nyx findings: [1-9]\d* errors?,/);
    errors = Number(/(\d+) errors?,/.exec(label)![1]);
    assert.ok(errors >= 2, label);
  });

  it('a second window on the same folder shows the same findings in its Problems panel', async function () {
    // A new browser context: its own workbench, extension host, and trust decision (through the UI).
    this.timeout(180_000);
    // A browser context of its own, like a teammate's browser: its own window, its own extension host.
    const browser = workbench().page.context().browser();
    assert.ok(browser);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    second = new Workbench(page);
    await second.open(workbench().page.url(), 60_000);
    await second.waitForExtensionsActivated(60_000);
    // "Activating Extensions..." may not have shown yet: the palette lists Nyx's commands once its status item is up.
    await waitForStatus(second, (item) => /Nyx: connected/.test(item.text));
    await second.selectProject(projectName);
    await waitForFindingsStatus(second, new RegExp(`Nyx findings: ${errors} errors?,`));

    await second.page.locator('#status\\.problems').click();
    await problemRow(page, EVAL).waitFor({ state: 'visible', timeout: 10_000 });
    await problemRow(page, TLS).waitFor({ state: 'visible', timeout: 10_000 });
    // The row names its source: these are Nyx's diagnostics, not another extension's.
    assert.match(await problemRow(page, EVAL).innerText(), /Nyx/);
    await second.screenshot('analysis-problems-panel');
  });

  it('dismissing in the first window removes the entry from the second window, live', async () => {
    const first = workbench();
    const page = second!.page;
    await first.focus();
    await first.runFromPalette('Nyx: Dismiss Finding for the Team');
    // The pick of open findings: filter on the eval finding's place, take it.
    const filter = first.page.locator(`${QUICK_INPUT} input`);
    await first.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: EVAL }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await filter.fill(EVAL);
    await first.page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: EVAL }).first().click();
    // Then the reason the team will read.
    await first.page.locator(`${QUICK_INPUT} input`).fill('evaluates trusted admin input only');
    await first.page.keyboard.press('Enter');
    await first.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });

    const fewer = new RegExp(`Nyx findings: ${errors - 1} errors?,`);
    await waitForFindingsStatus(first, fewer);
    await second!.focus();
    await waitForFindingsStatus(second!, fewer);
    await problemRow(page, EVAL).waitFor({ state: 'detached', timeout: 10_000 });
    assert.ok(await problemRow(page, TLS).isVisible(), 'the other finding went too');
    await second!.screenshot('analysis-problems-panel-after-dismiss');
  });
});

function problemRow(page: Page, ruleId: string): Locator {
  return page.locator('.markers-panel .monaco-list-row', { hasText: ruleId }).first();
}

/** The findings item's accessible label ("Nyx findings: 2 errors, 0 warnings, 0 info (2 open)"). */
async function waitForFindingsStatus(target: Workbench, expected: RegExp): Promise<string> {
  return (await waitForStatus(target, (item) => expected.test(item.ariaLabel))).ariaLabel;
}

async function waitForStatus(target: Workbench, matches: (item: StatusBarItem) => boolean): Promise<StatusBarItem> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const items = await target.statusBarItems();
    const found = items.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no status bar item as expected: ${items.map((item) => `${item.id}: ${item.text} (${item.ariaLabel})`).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
