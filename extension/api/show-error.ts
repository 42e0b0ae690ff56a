import * as vscode from 'vscode';
import { errorMessage } from './errors.ts';
import { fixesFor, withoutRestHints } from './user-facing.ts';

/**
 * Tells the user what went wrong, in the server's own words when it sent a problem document, and
 * offers the fix as a button (Sign In, Configure Provider, Retry) instead of naming a REST call.
 * Also logs it, with the full text: no failure is silent.
 */
export async function showError(error: unknown, log: vscode.LogOutputChannel, doing?: string, retry?: () => unknown): Promise<void> {
  const message = errorMessage(error);
  log.error(doing ? `${doing}: ${message}` : message);
  const fixes = fixesFor(error);
  const titles = [...(retry && !fixes.some((fix) => fix.title === 'Retry') ? ['Retry'] : []), ...fixes.map((fix) => fix.title), 'Show Log'];
  const picked = await vscode.window.showErrorMessage(withoutRestHints(message), ...titles);
  if (picked === 'Show Log') return log.show(true);
  const fix = fixes.find((candidate) => candidate.title === picked);
  if (fix) await vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
  else if (picked === 'Retry' && retry) await retry();
}
