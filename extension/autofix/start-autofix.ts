import type * as vscode from 'vscode';
import type { StartedRun } from './autofix-runs.ts';
import { toDisposable } from '../lifecycle.ts';

type AutofixStarter = (findingIds: readonly string[], personaId?: string) => Promise<StartedRun>;
let starter: AutofixStarter | undefined;

/**
 * Auto-fixes findings on their files as the editor has them: progress, then the diff preview
 * with Apply / Discard. Resolves with the run as soon as it started (`outcome` follows it).
 * What other features call (the analysis "Ask … to fix" code action); the auto-fix feature
 * provides it while it is alive.
 */
export function startAutofix(findingIds: readonly string[], personaId?: string): Promise<StartedRun> {
  if (!starter) return Promise.reject(new Error('Nyx: auto-fix is not available (the extension is still starting or shutting down).'));
  return starter(findingIds, personaId);
}

export function provideAutofixStarter(provided: AutofixStarter): vscode.Disposable {
  starter = provided;
  return toDisposable(() => {
    if (starter === provided) starter = undefined;
  });
}
