import * as vscode from 'vscode';
import type { Me } from '#protocol/tokens.ts';
import { registerCommand } from '../command.ts';
import { readConfig } from '../config.ts';
import type { Connection } from './connection.ts';

/** "Nyx: Sign In": paste a token (from `nyx-server token create`); it is checked, then kept in SecretStorage. */
export function registerSignInCommand(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.signIn', log, async (givenToken?: unknown): Promise<Me | undefined> => {
    const { serverUrl } = readConfig();
    const token =
      typeof givenToken === 'string'
        ? givenToken
        : await vscode.window.showInputBox({
            title: `Nyx: Sign In to ${serverUrl}`,
            prompt: 'An API token from "nyx-server token create" (kept in VS Code\'s secret storage)',
            placeHolder: 'nyx_…',
            password: true,
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim().startsWith('nyx_') ? undefined : 'Nyx tokens start with "nyx_"'),
          });
    if (!token) return undefined;
    const me = await connection.signIn(token);
    void vscode.window.showInformationMessage(`Nyx: signed in to ${serverUrl} as ${me.user.email} (${me.tenant.name}).`);
    return me;
  });
}
