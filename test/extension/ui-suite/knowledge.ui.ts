// UI test: open a report from the Reports view as a user does, see its rendered title and table of
// contents in the viewer webview, and save screenshots of the viewer in the dark and light themes
// (test-results/report-viewer-dark.png, report-viewer-light.png).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { workbench } from '../ui.ts';

const MARKDOWN = `# Security review

The analysis of \`main\` found **2 errors** and 3 warnings; one was fixed automatically.

## Findings by severity

| Severity | Open | Fixed |
|---|---:|---:|
| error | 1 | 1 |
| warning | 3 | 0 |

## The fix

\`\`\`ts
export function parseAmount(input: string): number {
  const value = Number.parseFloat(input); // was eval(input)
  if (!Number.isFinite(value)) throw new Error(\`not a number: \${input}\`);
  return value;
}
\`\`\`

> Parse request input with a schema; never evaluate it.

## Next steps

- Turn on TLS verification in \`src/fetch.py\`
- Re-run the analysis after the dependency update
`;

describe('Reports: open a report from the Reports view', () => {
  const suffix = Date.now().toString(36);
  const projectName = `UI reports ${suffix}`;
  const reportTitle = `Security review ${suffix}`;

  before(async () => {
    const { serverUrl, token } = JSON.parse(readFileSync(process.env.NYX_TEST_CREDENTIALS_FILE!, 'utf8')) as { serverUrl: string; token: string };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(new URL(path, serverUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      assert.equal(response.status, 201, text);
      return JSON.parse(text) as { id: string };
    };
    const project = await post('/api/v1/projects', { name: projectName });
    await post('/api/v1/reports', { projectId: project.id, kind: 'analysis', title: reportTitle, markdown: MARKDOWN });
  });

  after(async () => {
    await workbench().runFromPalette('View: Close All Editors');
    await workbench().runFromPalette('View: Show Explorer');
  });

  it('clicking the report in the Reports view opens the viewer with its title and table of contents', async () => {
    await workbench().selectProject(projectName);
    await workbench().page.locator('.activitybar .action-label[aria-label^="Nyx"]').click();
    const view = reportsView();
    const header = view.locator('.pane-header').first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = view.locator('.monaco-list-row', { hasText: reportTitle }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await row.click();

    const viewer = viewerFrame();
    await viewer.locator('#title', { hasText: reportTitle }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await viewer.locator('.toc-link').allInnerTexts(), ['Security review', 'Findings by severity', 'The fix', 'Next steps']);
    assert.equal(await viewer.locator('#report-body table').count(), 1);
    assert.ok((await viewer.locator('#report-body pre code .hljs-keyword').count()) > 0, 'the code block is not highlighted');
    await viewer.locator('.toc-link', { hasText: 'The fix' }).click();
    await viewer.locator('.toc-link.current', { hasText: 'The fix' }).waitFor({ timeout: 5_000 }).catch(() => undefined);

    await workbench().runFromPalette('Notifications: Clear All Notifications');
    await workbench().selectColorTheme('Dark Modern');
    await viewer.locator('.toc-link', { hasText: 'Security review' }).click();
    await workbench().screenshot('report-viewer-dark');
    // Light Modern is this workbench's default: the window is left as later tests expect it.
    await workbench().selectColorTheme('Light Modern');
    await workbench().screenshot('report-viewer-light');
  });
});

function reportsView(): Locator {
  const page = workbench().page;
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /^Reports/ }) });
}

/** The viewer's document: VS Code nests it in two iframes. */
function viewerFrame() {
  return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

