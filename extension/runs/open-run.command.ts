import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { RunDashboards } from './run-dashboards.ts';
import type { RunsStore } from './runs-store.ts';
import { describeRun } from './runs-tree.ts';

/**
 * The panel that shows a run of a kind better than the generic dashboard (discussion → the
 * conversation, workflow → the steps, digest → its report). Answers false when this run has no
 * such panel after all (a digest that produced no report), and the dashboard opens instead.
 */
export type RunPanelOpener = (run: Run) => boolean;

export interface OpenRunOptions {
  /** The generic run dashboard whatever the kind (its status, progress and event log). */
  dashboard?: boolean;
}

/**
 * "Nyx: Open Run Dashboard": a run (tree item click, id, or a pick of recent runs) in the panel of
 * its kind, else in the dashboard. Answers the run id.
 */
export function registerOpenRunCommand(
  connection: Connection,
  store: RunsStore,
  dashboards: RunDashboards,
  panelOf: (kind: string) => RunPanelOpener | undefined,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  return registerCommand('nyx.openRun', log, async (target?: Run | string, options: OpenRunOptions = {}): Promise<string | undefined> => {
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
    if (!options.dashboard) {
      // The kind decides the panel: the store has recent runs; an older one is asked for.
      const run = store.get(runId) ?? (typeof target === 'object' ? target : await connection.requireClient().getRun(runId));
      const open = panelOf(run.kind);
      if (open?.(run)) return runId;
    }
    dashboards.show(runId);
    return runId;
  });
}
