import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { registerCommand } from '../command.ts';
import type { RunDashboards } from './run-dashboards.ts';
import type { RunsStore } from './runs-store.ts';
import { describeRun } from './runs-tree.ts';

/** "Nyx: Open Run Dashboard": the dashboard of a run (tree item, id, or a pick of recent runs). */
export function registerOpenRunCommand(store: RunsStore, dashboards: RunDashboards, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.openRun', log, async (target?: Run | string): Promise<string | undefined> => {
    let runId = typeof target === 'string' ? target : target?.id;
    if (!runId) {
      if (store.runs.length === 0) await store.reload();
      const picked = await vscode.window.showQuickPick(
        store.runs.map((run) => ({ label: run.kind, description: describeRun(run), detail: `${new Date(run.createdAt).toLocaleString()} · ${run.id}`, run })),
        { title: 'Nyx: Open Run Dashboard', placeHolder: store.runs.length ? 'The run to open' : 'No runs yet' },
      );
      runId = picked?.run.id;
    }
    if (!runId) return undefined;
    dashboards.show(runId);
    return runId;
  });
}
