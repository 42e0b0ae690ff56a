import * as vscode from 'vscode';

/** globalState key: set once the walkthrough was opened for this installation. */
export const WALKTHROUGH_SHOWN_KEY = 'nyx.walkthroughShown';
export const WALKTHROUGH_ID = 'nyx-dev.nyx#nyx.gettingStarted';

/**
 * Opens "Get started with Nyx" the first time the extension runs. VS Code does that by itself only
 * for installs from the Marketplace, not for a VSIX. A user who turned walkthroughs off
 * (`workbench.welcomePage.walkthroughs.openOnInstall`) is respected; the flag is set either way,
 * so it never reopens. Returns whether it opened.
 */
export async function openWalkthroughOnFirstInstall(globalState: vscode.Memento, log: vscode.LogOutputChannel): Promise<boolean> {
  if (globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) return false;
  await globalState.update(WALKTHROUGH_SHOWN_KEY, true);
  if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return false;
  try {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    log.info('First start: opened the "Get started with Nyx" walkthrough');
    return true;
  } catch (error) {
    log.warn(`Could not open the walkthrough: ${String(error)}`);
    return false;
  }
}
