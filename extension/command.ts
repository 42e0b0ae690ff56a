import * as vscode from 'vscode';
import { showError } from './api/show-error.ts';

/**
 * Registers a command whose failures reach the user: a thrown error becomes an error message (the
 * server's text when it sent one) and a log line. The handler's result is returned to callers of
 * executeCommand, which tests use.
 */
export function registerCommand<A extends unknown[], R>(id: string, log: vscode.LogOutputChannel, handler: (...args: A) => Promise<R> | R): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...(args as A));
    } catch (error) {
      void showError(error, log, id);
      return undefined;
    }
  });
}
