// UI test: "Nyx: Search Project Memory..." as a user types a question. Each hit shows its relevance
// as a bar and a word and how it was found, never a raw fusion score, and the best hit comes
// first. Saves test-results/memory-search.png.
import assert from 'node:assert/strict';
import { callServer, workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';

describe('Memory search shows relevance in words', function () {
  this.timeout(90_000);
  const projectName = `UI memory ${Date.now().toString(36)}`;
  const word = `bilbyqueue${Date.now().toString(36)}`;

  before(async () => {
    const project = await callServer<{ id: string }>('POST', '/api/v1/projects', { name: projectName });
    const remember = (kind: string, text: string) => callServer('POST', `/api/v1/projects/${project.id}/memory`, { kind, text });
    await remember('decision', `Background jobs go through the ${word} broker; retries back off exponentially.`);
    await remember('convention', `Every ${word} consumer is idempotent.`);
    await remember('fact', 'The billing service owns invoices and credit notes.');
  });

  after(async () => {
    await workbench().page.keyboard.press('Escape');
  });

  it('lists the hits with a bar, a word and how each was found; no raw scores', async () => {
    const ui = workbench();
    const page = ui.page;
    await ui.selectProject(projectName);
    await ui.runFromPalette('Nyx: Search Project Memory...');
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: `Search ${projectName}'s memory` }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator(`${QUICK_INPUT} input`).fill(`${word} broker retries`);
    await page.locator(`${QUICK_INPUT} .quick-input-title`, { hasText: /\(\d+ found\)/ }).waitFor({ state: 'visible', timeout: 20_000 });

    const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
    const first = await rows.first().innerText();
    assert.match(first, /Background jobs go through/, 'the entry that matches by meaning and words comes first');
    // On the second line, first: a long title cannot push it out of sight.
    assert.match(first, /\n●●●●● best match · memory · same meaning and words/);
    const all = (await rows.allInnerTexts()).join('\n');
    assert.match(all, /Every .* consumer is idempotent/);
    assert.match(all, /[●○]{5} (strong|good|weak) ·/);
    assert.doesNotMatch(all, /score|0\.\d{3}/, 'no raw scores');
    await ui.screenshot('memory-search');
  });
});
