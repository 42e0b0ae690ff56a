import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { RunsStore } from './runs-store.ts';
import { describeRun } from './runs-tree.ts';

/** "Nyx: Cancel Run": from a Runs view item (the run), a run id, or a pick of the active runs. */
export function registerCancelRunCommand(connection: Connection, store: RunsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.cancelRun', log, async (target?: Run | string): Promise<Run | undefined> => {
    const client = connection.requireClient();
    let runId = typeof target === 'string' ? target : target?.id;
    if (!runId) {
      const active = store.activeRuns;
      if (active.length === 0) {
        void vscode.window.showInformationMessage('Nyx: no run is active.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        active.map((run) => ({ label: run.kind, description: describeRun(run), detail: run.id, run })),
        { title: 'Nyx: Cancel Run', placeHolder: 'The run to stop' },
      );
      runId = picked?.run.id;
    }
    if (!runId) return undefined;
    const run = await client.cancelRun(runId);
    store.apply(run);
    log.info(`Asked the server to cancel run ${runId}`);
    return run;
  });
}
