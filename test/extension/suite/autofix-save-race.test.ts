// The race behind the flaky "applying it twice applies once" (#20), forced instead of waited for:
// another save of the file (on code-server the auto-save, files.autoSave = afterDelay on the web)
// is running its save participants when Apply saves. VS Code refuses a save in that phase and
// answers false; Apply used to give up ("Could not save") and every caller sharing the attempt got
// `undefined`. Here the auto-save delay is 0 and a will-save participant holds the auto-save, so
// the interleaving happens every run.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { AutofixState } from '#protocol/autofix.ts';
import type { Project } from '#protocol/projects.ts';
import type { ApplyOutcome } from '../../../extension/autofix/apply-proposal.ts';
import type { AutofixOutcome } from '../../../extension/autofix/autofix-runs.ts';
import { callServer, ensureConnected, uniqueName, waitFor } from './helpers.ts';

const TLS = 'nyx/dangerous/tls-verification-disabled';
const FOLDER = 'save-race-suite';
const TLS_PY = 'import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False)\n';
/** Below the extension host's 1,500 ms budget for a will-save listener (and the workbench's 1,750 ms). */
const HOLD_MS = 1_200;

describe('Auto-fix apply while another save of the file is running (#20)', function () {
  this.timeout(90_000);
  let project: Project;
  const folder = () => vscode.workspace.workspaceFolders![0]!;
  const fileUri = () => vscode.Uri.joinPath(folder().uri, FOLDER, 'tls.py');

  before(async () => {
    const api = await ensureConnected();
    await vscode.workspace.fs.writeFile(fileUri(), Buffer.from(TLS_PY));
    project = await callServer<Project>('POST', '/api/v1/projects', { name: uniqueName('Save race') });
    await api.selection.select(project, folder());
    const analyzed = await vscode.commands.executeCommand<{ done?: { status: string } }>('nyx.analyzeWorkspace');
    assert.equal(analyzed?.done?.status, 'succeeded');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder().uri, FOLDER), { recursive: true });
  });

  it('waits for the running save, which writes the edit, and answers applied to both concurrent calls', async () => {
    const api = await ensureConnected();
    const finding = await waitFor<StoredFinding>('the TLS finding', () => api.analysis.findings.findingsOf(project.id).find((candidate) => candidate.path === `${FOLDER}/tls.py` && candidate.ruleId === TLS));
    const document = await vscode.workspace.openTextDocument(fileUri());
    await vscode.window.showTextDocument(document, { preview: false });
    const outcome = await vscode.commands.executeCommand<AutofixOutcome>('nyx.autoFixFindingsInFile', { uri: document.uri, findingIds: [finding.id] });
    assert.equal(outcome?.done?.status, 'succeeded');
    assert.ok(outcome.proposal, 'no proposal');

    // The other save is the workbench's auto-save of Apply's own edit, as on a loaded machine, made
    // certain: with a delay of 0 ms it starts on the workbench side right after the edit, before
    // Apply's save can arrive from the extension host, and a will-save participant holds it in
    // that phase for a while.
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    await files.update('autoSaveDelay', 0, vscode.ConfigurationTarget.Global);
    let heldAutoSave = false;
    const hold = vscode.workspace.onWillSaveTextDocument((event) => {
      if (event.document.uri.toString() !== document.uri.toString() || event.reason !== vscode.TextDocumentSaveReason.AfterDelay || heldAutoSave) return;
      heldAutoSave = true;
      event.waitUntil(new Promise((resolve) => setTimeout(resolve, HOLD_MS)));
    });
    let results: Array<ApplyOutcome | undefined>;
    try {
      results = await Promise.all([
        vscode.commands.executeCommand<ApplyOutcome>('nyx.applyProposedChange', outcome.runId),
        vscode.commands.executeCommand<ApplyOutcome>('nyx.applyProposedChange', outcome.runId),
      ]);
    } finally {
      hold.dispose();
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Global);
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(heldAutoSave, 'the auto-save of the edit ran its participants (and was held there) while Apply saved');
    assert.deepEqual(results.map((result) => result?.status), ['applied', 'applied'], 'both callers share one successful apply');

    assert.equal(document.isDirty, false);
    assert.equal(Buffer.from(await vscode.workspace.fs.readFile(fileUri())).toString('utf8'), TLS_PY.replace('verify=False', 'verify=True'), 'the file on disk holds the fix');
    const state = await callServer<AutofixState>('GET', `/api/v1/autofix/${outcome.runId}`);
    assert.deepEqual(state.applications.map((application) => application.path), [`${FOLDER}/tls.py`], 'reported to the server once');
  });
});
