import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from './connection.ts';

/** "Nyx: Sign Out": forgets the token (and stops using the local credentials file until the next sign-in). */
export function registerSignOutCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.signOut', log, async (): Promise<void> => {
    await connection.signOut();
    void vscode.window.showInformationMessage('Nyx: signed out.');
  });
}
