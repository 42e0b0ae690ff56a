import * as vscode from 'vscode';
import type { ReportSummary } from '../../protocol/reports.ts';
import { isFinalRunStatus } from '../../protocol/runs.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
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
export class ReportsStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private items: ReportSummary[] = [];
  private loadedFor: string | undefined;
  private readonly finishedRuns = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private loading: Promise<void> | undefined;
  private readonly connection: Connection;
  private readonly selection: ProjectSelection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, selection: ProjectSelection, runs: RunsStore, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.selection = selection;
    this.log = log;
    this.register(connection.onDidChange(() => void this.reload()));
    this.register(selection.onDidChange(() => this.selection.current()?.id !== this.loadedFor && void this.reload()));
    this.register(runs.onDidChange(() => this.noticeFinishedRuns(runs)));
    this.register(toDisposable(() => this.timers.forEach(clearTimeout)));
    for (const run of runs.runs) if (isFinalRunStatus(run.status)) this.finishedRuns.add(run.id);
    void this.reload();
  }

  /** The selected project's reports, newest first. */
  get reports(): ReportSummary[] {
    return this.items;
  }

  get projectId(): string | undefined {
    return this.loadedFor;
  }

  /** Reads the list again; resolves when the view shows the server's answer. */
  async reload(): Promise<void> {
    const run = async () => {
      const projectId = this.selection.current()?.id;
      const client = this.connection.state.kind === 'connected' ? this.connection.state.client : undefined;
      const items = client && projectId ? await client.listReports({ projectId, limit: LISTED_REPORTS }) : [];
      if (this.isDisposed) return;
      this.items = items;
      this.loadedFor = projectId;
      this.changed.fire();
    };
    // One load at a time; a reload asked for during one runs after it (it may see newer data).
    const previous = this.loading ?? Promise.resolve();
    const next = previous.then(run).catch((error: unknown) => this.log.warn(`Could not load the reports: ${errorMessage(error)}`));
    this.loading = next;
    await next;
    if (this.loading === next) this.loading = undefined;
  }

  /** Removes a report from the list at once (after the server deleted it). */
  forget(reportId: string): void {
    this.items = this.items.filter((report) => report.id !== reportId);
    this.changed.fire();
  }

  private noticeFinishedRuns(runs: RunsStore): void {
    const projectId = this.selection.current()?.id;
    let ended = false;
    for (const run of runs.runs) {
      if (!isFinalRunStatus(run.status) || this.finishedRuns.has(run.id)) continue;
      this.finishedRuns.add(run.id);
      if (run.projectId === projectId && run.status === 'succeeded') ended = true;
    }
    if (!ended) return;
    for (const delay of AFTER_RUN_RELOADS_MS) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.reload();
      }, delay);
      this.timers.add(timer);
    }
  }
}
