// UI test: run by test/extension/run.ts in Node, driving the workbench in Chromium, after the
// in-host suites passed in the same code-server session.
import assert from 'node:assert/strict';
import { workbench } from '../ui.ts';

describe('Nyx: Show Log from the command palette', () => {
  it('opens the Output panel on the "Nyx" channel with the activation line', async () => {
    assert.equal(await workbench().isOutputPanelVisible(), false, 'the Output panel was already open');
    await workbench().runCommand('Nyx: Show Log');

    assert.equal(await workbench().outputPanelChannel(), 'Nyx');
    // The in-host suites logged more than a screenful since activation: filter the channel for the line.
    const filter = workbench().page.locator('.part.panel input[placeholder^="Filter"]').filter({ visible: true }).first();
    await filter.fill('activated');
    await workbench().page.waitForTimeout(500);
    assert.match(await workbench().outputPanelText(), /Nyx \d+\.\d+\.\d+ activated/);
    await filter.fill('');
  });
});
