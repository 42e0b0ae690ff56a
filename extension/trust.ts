import * as vscode from 'vscode';

/** The error of an action that was not trusted: nothing left the editor, nothing changed. */
export const RESTRICTED_MODE = 'Nyx: this folder is not trusted (Restricted Mode), so nothing was uploaded or changed. Trust it to go ahead.';

const MANAGE_TRUST = 'Manage Workspace Trust';

/**
 * Workspace trust (Restricted Mode). Nyx reads from its server in any window, but whatever uploads
 * workspace files or changes them waits for trust: an untrusted folder may hold files its owner
 * would not send anywhere, and a fix changes code the user has not vetted yet.
 *
 * Resolves true at once in a trusted workspace. Otherwise it says what waits and why, with a button
 * to manage trust, and resolves true as soon as trust is granted (the action then goes ahead), or
 * false when the message is closed without granting it.
 */
export async function whenTrusted(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const granted = new Promise<true>((resolve) => {
    const listener = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      listener.dispose();
      resolve(true);
    });
  });
  const answer = vscode.window
    .showWarningMessage(`Nyx does not ${action} in Restricted Mode. Trust this folder to let it; Nyx goes ahead once you do.`, MANAGE_TRUST)
    .then(async (picked) => {
      if (picked !== MANAGE_TRUST) return false;
      await vscode.commands.executeCommand('workbench.trust.manage');
      return granted;
    });
  return Promise.race([granted, answer]);
}

/** Runs `then` once the workspace is trusted (now, or when trust is granted). */
export function onceTrusted(then: () => void): vscode.Disposable {
  if (vscode.workspace.isTrusted) {
    then();
    return new vscode.Disposable(() => undefined);
  }
  return vscode.workspace.onDidGrantWorkspaceTrust(then);
}
