import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { ServerProblemError } from '../api/errors.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { startAutofix } from '../autofix/start-autofix.ts';
import { findingIdFrom } from './finding-locations.ts';
import type { FindingsStore } from './findings-store.ts';
import type { FixPersona } from './fix-persona.ts';

/** Shown when the server has no `autofix` run kind (an older server). */
export const AUTOFIX_UNAVAILABLE = 'Nyx: auto-fix is not available on this server (it does not know the "autofix" run kind). Update the Nyx server to use "Ask … to fix".';

/**
 * "Nyx: Ask Persona to Fix": starts an `autofix` run (POST /api/v1/runs) for a finding, against
 * the snapshot it was last seen in, with the persona of `nyx.analysis.fixPersona`, and follows it
 * with a progress notification. The proposed patch is previewed by the auto-fix flow.
 */
export function registerAskPersonaToFixCommand(connection: Connection, store: FindingsStore, persona: FixPersona, runs: RunsStore, tracked: () => TrackedRuns, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.askPersonaToFix', log, async (target?: unknown): Promise<Run | undefined> => {
    connection.requireClient(); // not connected: say so (with "Sign In") before anything else
    const findingId = findingIdFrom(target);
    const finding = findingId ? store.find(findingId) : undefined;
    if (!finding) throw new Error('Nyx: pick a finding to fix (from its light bulb or the Findings view).');
    let run: Run;
    try {
      // The auto-fix flow runs it on the file as the editor has it and offers the diff preview.
      ({ run } = await startAutofix([finding.id], persona.personaId));
    } catch (error) {
      if (ServerProblemError.is(error) && error.status === 400 && error.problem.field === 'kind') {
        log.warn(`${AUTOFIX_UNAVAILABLE} (${error.message})`);
        void vscode.window.showWarningMessage(AUTOFIX_UNAVAILABLE);
        return undefined;
      }
      throw error;
    }
    log.info(`Asked ${persona.name} to fix ${finding.ruleId} at ${finding.path}:${finding.range.startLine} (run ${run.id})`);
    return run;
  });
}
