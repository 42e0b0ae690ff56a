// Drives the VS Code workbench the way a user does, through Playwright in Chromium.
// UI tests (test/extension/ui-suite/*.ui.ts) get the session's workbench with `workbench()`.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

const STATUS_BAR = '#workbench\\.parts\\.statusbar';
const QUICK_INPUT = '.quick-input-widget';

export interface StatusBarItem {
  /** VS Code's item id, e.g. `status.problems` or `<extension id>.<item id>`. */
  id: string;
  text: string;
  ariaLabel: string;
}

export class Workbench {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /**
   * Loads the workbench. Workspace trust is on, as users have it: a folder this browser has not
   * trusted yet opens in Restricted Mode (code-server shows the banner; desktop VS Code asks "Do you
   * trust the authors…?" first). `trust` decides it the way a user does: `'trust'` (the default)
   * trusts the folder through the UI, `'restricted'` stays in Restricted Mode. VS Code keeps the
   * choice in the browser's storage, so a new browser context decides again.
   */
  async open(url: string, timeoutMs: number, trust: 'trust' | 'restricted' = 'trust'): Promise<void> {
    await this.page.goto(url, { timeout: timeoutMs });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator(STATUS_BAR).waitFor({ timeout: timeoutMs });
    await this.decideTrust(trust, Math.min(timeoutMs, 60_000));
  }

  /**
   * Answers the startup trust dialog if one comes, or, in Restricted Mode, trusts the folder in the
   * Workspace Trust editor ("Workspaces: Manage Workspace Trust", then its Trust button). Returns
   * what it did; 'already trusted' when neither a dialog nor Restricted Mode showed up.
   */
  async decideTrust(trust: 'trust' | 'restricted', waitMs = 60_000): Promise<'dialog' | 'trust editor' | 'restricted' | 'already trusted'> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: 'trust the authors' });
    const restricted = this.page.locator(`${STATUS_BAR} .statusbar-item`, { hasText: 'Restricted Mode' }).first();
    const decided = await Promise.race([
      dialog.waitFor({ state: 'visible', timeout: waitMs }).then(() => 'dialog' as const),
      restricted.waitFor({ state: 'visible', timeout: waitMs }).then(() => 'restricted' as const),
    ]).catch(() => 'neither' as const);
    if (decided === 'neither') return 'already trusted';
    if (decided === 'dialog') {
      await dialog.getByRole('button', { name: trust === 'trust' ? 'Yes, I trust the authors' : "No, I don't trust the authors" }).click();
      await dialog.waitFor({ state: 'hidden' });
      if (trust === 'restricted') return 'restricted';
      await restricted.waitFor({ state: 'hidden', timeout: 10_000 });
      return 'dialog';
    }
    if (trust === 'restricted') return 'restricted';
    // On a first start the walkthrough (ours or VS Code's) can open right after the trust editor
    // and take its place in the editor group; the user would simply open the trust editor again.
    for (let attempt = 1; ; attempt++) {
      await this.runCommand('Workspaces: Manage Workspace Trust');
      const editor = this.page.locator('.workspace-trust-editor');
      const clicked = await editor
        .getByRole('button', { name: /^Trust( Folder)?$/ })
        .first()
        .click({ timeout: 15_000 })
        .then(() => true, (error: unknown) => (attempt < 3 ? false : Promise.reject(error)));
      if (clicked) break;
    }
    // The status bar follows the grant; on a loaded machine that can take a while. The in-host
    // suites start the moment trust is granted and open their own editors, so neither the trust
    // editor's text nor closing editors here is safe: the grant is what is waited for.
    await restricted.waitFor({ state: 'hidden', timeout: 60_000 });
    return 'trust editor';
  }

  /**
   * Makes this window the one in front, as a user clicks on the window they work in. Chromium
   * draws a page that is not in front about once a second: every click then waits seconds for the
   * element to hold still, and a suite slows to a crawl near its timeouts. A test that opens a
   * second window or tab comes back here before it works in this one again.
   */
  async focus(): Promise<void> {
    await this.page.bringToFront();
  }

  /** Whether the window is in Restricted Mode (VS Code's status bar item says so). */
  async isRestrictedMode(): Promise<boolean> {
    return this.page.locator(`${STATUS_BAR} .statusbar-item`, { hasText: 'Restricted Mode' }).first().isVisible();
  }

  /**
   * "Activating Extensions..." shows in the status bar for several seconds on a slow machine;
   * the palette is not ready for extension commands until it is gone.
   */
  async waitForExtensionsActivated(timeoutMs = 30_000): Promise<void> {
    await this.page
      .locator(STATUS_BAR)
      .getByText('Activating Extensions', { exact: false })
      .waitFor({ state: 'detached', timeout: timeoutMs });
  }

  /** Opens the command palette (F1: Ctrl+Shift+P can be claimed by the browser). */
  async openCommandPalette(): Promise<Locator> {
    await this.page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, force: true });
    await this.page.keyboard.press('F1');
    const input = this.page.locator(`${QUICK_INPUT} input`);
    await input.waitFor({ state: 'visible' });
    return input;
  }

  /** Runs a command by its palette title, e.g. "Nyx: Show Log", and waits for the palette to close. */
  async runCommand(title: string): Promise<void> {
    await this.runFromPalette(title);
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
  }

  /**
   * Picks a command by its palette title and leaves the quick input alone afterwards: many Nyx
   * commands go on to ask something in the same widget. Fails if no entry has that exact title.
   */
  async runFromPalette(title: string): Promise<void> {
    // A webview or walkthrough that opens or takes focus closes the palette (VS Code hides quick
    // input on blur), even between the row showing and the click on it; then the palette is opened
    // again. A click that timed out was never dispatched (Playwright clicks only once the row is
    // visible and stable), so trying again never runs the command twice.
    for (let attempt = 1; ; attempt++) {
      try {
        const input = await this.openCommandPalette();
        await input.fill(`>${title}`, { timeout: 5_000 });
        const row = this.quickPickRow(title);
        await row.waitFor({ state: 'visible', timeout: 10_000 });
        await row.click({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        console.log(`  (could not choose "${title}" in the palette, attempt ${attempt}: ${firstLine(error)}; opening it again)`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private quickPickRow(label: string): Locator {
    return this.page
      .locator(`${QUICK_INPUT} .monaco-list-row`)
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
      .first();
  }

  /**
   * Picks the entry labelled `label` (surrounding icon spacing ignored) in the quick pick a command
   * opened. The list is virtual: a row outside its visible part may be missing from the page, or
   * be there and take no click. Then the label goes into the filter, as a user types into a long list.
   */
  async pick(label: string, timeoutMs = 10_000): Promise<void> {
    const row = this.quickPickRow(label);
    // The row turning up also tells that the command's pick replaced the palette (or the previous
    // question) in the widget, so the filter below never types into the wrong one.
    const present = await row.waitFor({ state: 'attached', timeout: Math.min(3_000, timeoutMs) }).then(() => true, () => false);
    if (!present || !(await this.isInsideQuickPickList(row))) {
      await this.page.waitForFunction(
        (selector) => {
          const input = document.querySelector<HTMLInputElement>(selector);
          return !!input && input.offsetParent !== null && !input.value.startsWith('>');
        },
        `${QUICK_INPUT} input`,
        { timeout: timeoutMs },
      );
      await this.page.locator(`${QUICK_INPUT} input`).fill(label);
    }
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  private async isInsideQuickPickList(row: Locator): Promise<boolean> {
    const [rowBox, listBox] = await Promise.all([row.boundingBox(), this.page.locator(`${QUICK_INPUT} .monaco-list`).first().boundingBox()]);
    return !!rowBox && !!listBox && rowBox.y >= listBox.y && rowBox.y + rowBox.height <= listBox.y + listBox.height;
  }

  /**
   * Makes room for one view of the side bar's open container: folds every other unfolded view and
   * unfolds `title`'s. Returns the titles it folded, for `unfoldViews` to put back (the suites after
   * this one expect the views as they were). A header's middle holds its view's action buttons, so
   * the title is what gets clicked.
   */
  async foldOtherViews(title: string): Promise<string[]> {
    const sidebar = this.page.locator('.part.sidebar');
    const keep = sidebar.locator('.pane-header', { has: this.page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
    await keep.waitFor({ state: 'visible', timeout: 10_000 });
    const others = sidebar.locator('.pane-header[aria-expanded="true"]').filter({ hasNot: this.page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    const folded: string[] = [];
    while ((await others.count()) > 0) {
      if (folded.length >= 10) throw new Error(`the views do not fold: ${folded.join(', ')}`);
      const other = others.first().locator('.title').first();
      folded.push((await other.innerText()).trim());
      await other.click();
    }
    if ((await keep.getAttribute('aria-expanded')) === 'false') await keep.locator('.title').first().click();
    return folded;
  }

  /** Unfolds the views `foldOtherViews` folded, when their container is still showing. */
  async unfoldViews(titles: readonly string[]): Promise<void> {
    const sidebar = this.page.locator('.part.sidebar');
    for (const title of titles) {
      const header = sidebar.locator('.pane-header[aria-expanded="false"]', { has: this.page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).first();
      if (await header.isVisible()) await header.locator('.title').first().click();
    }
  }

  /** Switches the color theme from the palette, then gives webviews a moment to repaint with its variables. */
  async selectColorTheme(theme: string): Promise<void> {
    await this.runFromPalette('Preferences: Color Theme');
    await this.pick(theme);
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  /** "Nyx: Select Project" from the palette, then the project's row. */
  async selectProject(name: string): Promise<void> {
    await this.runFromPalette('Nyx: Select Project');
    await this.pick(name);
  }

  /** "Developer: Reload Window", back once the reloaded workbench is drawn (not yet its extensions). */
  async reload(timeoutMs = 60_000): Promise<void> {
    const reloaded = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame(), timeout: timeoutMs });
    await this.runFromPalette('Developer: Reload Window');
    await reloaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  }

  /** Waits for Nyx's status item to say it is connected (after a start or a reload). */
  async waitForNyxConnected(timeoutMs = 240_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.statusBarItems().catch(() => [])).some((item) => /Nyx: connected/.test(item.text))) {
      if (Date.now() > deadline) throw new Error(`Nyx did not connect within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Waits for a notification toast containing `text` and returns its locator. */
  async waitForNotification(text: string | RegExp, timeoutMs = 10_000): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    return toast;
  }

  async statusBarItems(): Promise<StatusBarItem[]> {
    return this.page.locator(`${STATUS_BAR} .statusbar-item`).evaluateAll((elements) =>
      elements.map((element) => ({
        id: element.id,
        text: (element.textContent ?? '').trim(),
        ariaLabel: element.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '',
      })),
    );
  }

  async isOutputPanelVisible(): Promise<boolean> {
    return this.page.locator('.part.panel .output-view').isVisible();
  }

  /** The text of the Output panel's editor (the lines VS Code has rendered). */
  async outputPanelText(): Promise<string> {
    const lines = this.page.locator('.part.panel .output-view .view-lines').first();
    await lines.waitFor({ state: 'visible' });
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** The channel the Output panel is showing, as named in its channel picker. */
  async outputPanelChannel(): Promise<string> {
    // Both the panel's title bar and the view's own header carry a picker; one is visible.
    const picker = this.page.locator('.part.panel select[aria-label="Switch Output"]').filter({ visible: true }).first();
    await picker.waitFor({ state: 'visible' });
    return picker.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text ?? '');
  }

  /**
   * Saves a full-window screenshot to `dir/<name>.png` and returns its path. Animations are run to
   * their end first: a notification caught mid fade-in is a grey smudge in the guide.
   */
  async screenshot(name: string, dir = 'test-results'): Promise<string> {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file, animations: 'disabled' });
    return file;
  }
}

let current: Workbench | undefined;

/** Set by the runner before it runs the UI suites. */
export function useWorkbench(workbench: Workbench | undefined): void {
  current = workbench;
}

/** The workbench of the running session, for UI tests. */
export function workbench(): Workbench {
  if (!current) throw new Error('No workbench: UI tests run under test/extension/run.ts');
  return current;
}

/**
 * A call to the live server as the session's user (the runner writes its URL and token to
 * NYX_TEST_CREDENTIALS_FILE), for a UI test's setup and checks. Fails on any non-2xx answer.
 */
export async function callServer<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
  const { serverUrl, token } = JSON.parse(readFileSync(process.env.NYX_TEST_CREDENTIALS_FILE!, 'utf8')) as { serverUrl: string; token: string };
  const response = await fetch(new URL(urlPath, serverUrl), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${urlPath}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!.slice(0, 200);
}
