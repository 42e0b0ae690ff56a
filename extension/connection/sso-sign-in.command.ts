import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { NyxAuthProvider } from './sso-auth-provider.ts';

/** "Nyx: Sign In with SSO": through the team's identity provider, in the browser. */
export function registerSsoSignInCommand(provider: NyxAuthProvider, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.signInWithSso', log, async (team?: unknown) => {
    try {
      const session = await provider.signIn(typeof team === 'string' ? team : undefined);
      void vscode.window.showInformationMessage(`Nyx: signed in as ${session.user.email}, ${session.user.role} of ${session.tenant.name}.`);
      return { email: session.user.email, role: session.user.role, tenant: session.tenant.name };
    } catch (error) {
      if (error instanceof vscode.CancellationError) return undefined;
      throw error;
    }
  });
}
