import * as vscode from 'vscode';

/** The "Nyx" output channel: the extension's log, which users open with "Nyx: Show Log". */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Nyx', { log: true });
}
