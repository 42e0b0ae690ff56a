import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { FindingsStore } from './findings-store.ts';
import type { LiveAnalysis } from './live-analysis.ts';

/**
 * Runs right after the "Apply fix" quick fix edited the file (the code action's command): the
 * fixed finding's squiggle goes at once, and the file is re-analyzed as it is now, so whatever the
 * analysis says next (fixed, or something else found) replaces the guess. Not in the palette.
 */
export function registerFindingFixAppliedCommand(store: FindingsStore, live: LiveAnalysis, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.findingFixApplied', log, async (findingId?: string, uri?: vscode.Uri): Promise<void> => {
    if (findingId) store.forget(findingId);
    const document = uri ? vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString()) : undefined;
    if (document) live.queue(document);
  });
}
