import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from './connection.ts';
import type { NyxAuthProvider } from './sso-auth-provider.ts';

/**
 * "Nyx: Sign Out": forgets the token (and stops using the local credentials file until the next
 * sign-in). A single sign-on session is also ended on the server, with its refresh token.
 */
export function registerSignOutCommand(connection: Connection, sso: NyxAuthProvider, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.signOut', log, async (): Promise<void> => {
    if (await sso.hasSession()) await sso.removeSession();
    else await connection.signOut();
    void vscode.window.showInformationMessage('Nyx: signed out.');
  });
}
