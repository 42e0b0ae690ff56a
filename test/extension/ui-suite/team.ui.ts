// UI test of the AI team, as a user does it in the workbench (Chromium): "Nyx: Start
// Discussion..." from the palette, the topic, then the persona picker: search, choose two with
// the keyboard, confirm with Enter on the button; mode and rounds; the discussion streams in its
// view (a loopback OpenAI fake answers for the live server). Screenshots of the picker (dark and
// light) and of the finished discussion go to test-results/.
import assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { startFakeOpenAI } from '../../fakes/openai-server.ts';
import type { FakeOpenAI } from '../../fakes/openai-server.ts';
import { callServer, workbench } from '../ui.ts';

const QUICK_INPUT = '.quick-input-widget';
const TURNS = [
  'Validate the request body with one schema at the boundary, and reject unknown fields. Parameterise every query.',
  'Agreed on the schema. Measure the validation cost on the hot path before adding caching.',
];

describe('AI team: a discussion started from the palette', function () {
  this.timeout(90_000);
  let fake: FakeOpenAI;
  const projectName = `Team UI ${Date.now().toString(36)}`;
  const names = new Map<string, string>();

  before(async () => {
    fake = await startFakeOpenAI();
    fake.plan(...TURNS.map((text) => ({ text, chunkDelayMs: 60 })));
    fake.setDefault({
      json: {
        bestApproach: 'One zod schema at the boundary, parameterised queries everywhere, measure before caching.',
        consensusPoints: ['Reject unknown fields', 'No SQL built from strings'],
        dissentPoints: [{ point: 'Cache compiled schemas now or later', personas: ['Priya Raman'] }],
        nextSteps: ['Write the schema', 'Add a benchmark for the endpoint'],
      },
    });
    await callServer('PUT', '/api/v1/providers/openai', { apiKey: 'sk-test-team-ui', baseUrl: fake.url });
    await callServer('POST', '/api/v1/projects', { name: projectName });
    const library = await callServer<{ items: Array<{ builtInKey: string | null; name: string }> }>('GET', '/api/v1/personas?builtIn=true');
    for (const persona of library.items) names.set(persona.builtInKey!, persona.name);
    await workbench().runCommand('View: Close All Editors');
    await workbench().selectProject(projectName);
  });

  after(async () => {
    await callServer('DELETE', '/api/v1/providers/openai').catch(() => undefined);
    await fake?.close();
    await workbench().runCommand('View: Close All Editors');
  });

  it('opens the picker from the palette; search and the keyboard choose two personas; Enter on Confirm goes on', async () => {
    const page = workbench().page;
    await workbench().runFromPalette('Nyx: Start Discussion...');
    const topic = page.locator(`${QUICK_INPUT} input`);
    await topic.waitFor({ state: 'visible' });
    await topic.fill('How should the payment endpoint validate its input?');
    await topic.press('Enter');

    const picker = webview();
    const search = picker.locator('#search');
    await picker.locator('.card').first().waitFor({ timeout: 15_000 });
    await picker.locator('img.portrait').first().waitFor();
    await search.click();
    await search.fill('security auditor');
    await search.press('ArrowDown');
    await page.keyboard.press('Space');
    await search.fill('performance engineer');
    await search.press('ArrowDown');
    await page.keyboard.press('Enter');
    await search.fill('');
    await picker.locator('#summary', { hasText: '2 of 2–6 chosen' }).waitFor();
    const chosen = await picker.locator('#summary').innerText();
    assert.ok(chosen.includes(`${names.get('security-auditor')}, ${names.get('performance-engineer')}`), chosen);
    // The keyboard focus is visible: the focused card has an outline.
    await picker.locator('.card[data-section="builtin"]').first().focus();
    await page.keyboard.press('ArrowDown');
    const outline = await picker.locator('.card:focus').evaluate((card) => getComputedStyle(card).outlineStyle);
    assert.notEqual(outline, 'none');

    // Room for the cards (an earlier suite leaves the Output panel open), the chosen ones in view.
    if (await page.locator('.part.panel').isVisible()) await workbench().runCommand('View: Hide Panel');
    await picker.locator('.card.selected').first().scrollIntoViewIfNeeded();
    await workbench().selectColorTheme('Dark Modern');
    await workbench().screenshot('persona-picker-dark');
    await workbench().selectColorTheme('Light Modern');
    await workbench().screenshot('persona-picker-light');

    await picker.locator('#confirm').focus();
    await page.keyboard.press('Enter');
    await workbench().pick('Debate');
    await workbench().pick('1');
  });

  it('streams both turns into the discussion view and ends with the synthesis', async () => {
    const discussion = webview();
    await discussion.locator('.bubble').first().waitFor({ timeout: 20_000 });
    await discussion.locator('#synthesis:not([hidden])').waitFor({ timeout: 40_000 });
    const texts = await discussion.locator('.bubble .text').allInnerTexts();
    assert.deepEqual(texts, TURNS);
    assert.match(await discussion.locator('#best-approach').innerText(), /One zod schema/);
    await discussion.locator('#status', { hasText: 'succeeded' }).waitFor();
    await workbench().selectColorTheme('Dark Modern');
    await workbench().screenshot('discussion-dark');
    await workbench().selectColorTheme('Light Modern');
    await workbench().screenshot('discussion-light');
  });
});

/** The active webview's document (VS Code nests it in two iframes). */
function webview(): FrameLocator {
  return workbench().page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

