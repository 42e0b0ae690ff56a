// UI test: run by test/extension/run.ts in Node, driving the workbench in Chromium, after the
// in-host suites passed in the same code-server session.
import assert from 'node:assert/strict';
import { workbench } from '../ui.ts';

describe('Nyx: Show Log from the command palette', () => {
  it('opens the Output panel on the "Nyx" channel with the activation line', async () => {
    assert.equal(await workbench().isOutputPanelVisible(), false, 'the Output panel was already open');
    await workbench().runCommand('Nyx: Show Log');

    assert.equal(await workbench().outputPanelChannel(), 'Nyx');
    // The in-host suites logged a screenful since activation: scroll the channel to its first line.
    await workbench().page.locator('.part.panel .output-view .view-lines').first().click({ position: { x: 5, y: 5 } });
    await workbench().page.keyboard.press('Control+Home');
    assert.match(await workbench().outputPanelText(), /Nyx \d+\.\d+\.\d+ activated/);
  });
});
