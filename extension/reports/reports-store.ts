import type * as vscode from 'vscode';
import type { ReportSummary } from '#protocol/reports.ts';
import type { Connection } from '../connection/connection.ts';
import { toDisposable } from '../lifecycle.ts';
import { ProjectItemsStore } from '../projects/project-items-store.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';

/** How many reports the view lists (newest first). */
const LISTED_REPORTS = 100;
/**
 * A run's report is written by the server's watcher right after the run's final update, so the
 * list is read again shortly after a run ends (the final snapshot can arrive before the report).
 */
const AFTER_RUN_RELOADS_MS = [300, 2_000];

/**
 * The selected project's reports (summaries, no bodies). Reloaded when the project or the
 * connection changes, and when a run of the project ends (reports are made at the end of runs).
 */
export class ReportsStore extends ProjectItemsStore<ReportSummary> {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(connection: Connection, selection: ProjectSelection, runs: RunsStore, log: vscode.LogOutputChannel) {
    super(connection, selection, log, { what: 'reports', load: (client, projectId) => client.listReports({ projectId, limit: LISTED_REPORTS }) });
    this.register(toDisposable(() => this.timers.forEach(clearTimeout)));
    this.onRunsEnded(runs, (run) => run.projectId === this.selection.current()?.id && run.status === 'succeeded', () => this.reloadAfterRun());
  }

  /** The selected project's reports, newest first. */
  get reports(): ReportSummary[] {
    return this.items;
  }

  private reloadAfterRun(): void {
    for (const delay of AFTER_RUN_RELOADS_MS) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.reload();
      }, delay);
      this.timers.add(timer);
    }
  }
}
