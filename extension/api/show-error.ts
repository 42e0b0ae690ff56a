import * as vscode from 'vscode';
import { NotConnectedError } from '../connection/connection.ts';
import { errorMessage, ServerProblemError } from './errors.ts';

/**
 * Tells the user what went wrong, in the server's own words when it sent a problem document, and
 * offers the fix when there is one. Also logs it: no failure is silent.
 */
export async function showError(error: unknown, log: vscode.LogOutputChannel, doing?: string): Promise<void> {
  const message = errorMessage(error);
  log.error(doing ? `${doing}: ${message}` : message);
  const canSignIn = NotConnectedError.is(error) || (ServerProblemError.is(error) && error.isUnauthorized);
  const actions = canSignIn ? ['Sign In', 'Show Log'] : ['Show Log'];
  const picked = await vscode.window.showErrorMessage(message, ...actions);
  if (picked === 'Sign In') await vscode.commands.executeCommand('nyx.signIn');
  if (picked === 'Show Log') log.show(true);
}
