import * as vscode from 'vscode';

export function registerShowLogCommand(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand('nyx.showLog', () => log.show(true));
}
