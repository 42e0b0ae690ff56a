import * as vscode from 'vscode';

/**
 * Puts a secret that is shown only once on the clipboard. A browser-based editor may refuse the
 * clipboard (no permission, no focus): then the secret is shown in an input box, selected, so it
 * can still be copied by hand. Answers whether the clipboard took it.
 */
export async function copySecretOnce(secret: string, what: string, log: vscode.LogOutputChannel): Promise<boolean> {
  try {
    await Promise.race([vscode.env.clipboard.writeText(secret), new Promise((_, reject) => setTimeout(() => reject(new Error('the clipboard did not answer')), 3_000))]);
    return true;
  } catch (error) {
    log.warn(`Could not copy the ${what} to the clipboard: ${String(error)}`);
    await vscode.window.showInputBox({ title: `Nyx: your new ${what} (shown only this once)`, value: secret, prompt: 'Copy it now: it cannot be shown again.', ignoreFocusOut: true });
    return false;
  }
}
