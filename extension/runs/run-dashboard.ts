import * as vscode from 'vscode';
import { RUN_EVENT, RunDoneData, RunProgressData, RunStatusData } from '#protocol/events.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import type { Run } from '#protocol/runs.ts';
import { MAX_DASHBOARD_EVENTS } from '#protocol/webview.ts';
import type { RunDashboardHostMethods, RunDashboardState, RunDashboardViewMethods } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { PanelView } from '../webview/panel-view.ts';
import type { WebviewHost } from '../webview/webview-host.ts';
import { followRunEvents } from './follow-run-events.ts';
import type { RunsStore } from './runs-store.ts';

export interface RunDashboardDeps {
  connection: Connection;
  store: RunsStore;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** Posting every event of a fast run would flood the webview: at most one state per this many ms. */
const POST_INTERVAL_MS = 100;

/**
 * One run in a webview panel: its status, progress, event log and result, live from its event
 * stream. A panel restored after a reload continues after the last event it had kept.
 */
export class RunDashboard extends Disposable {
  readonly runId: string;
  private readonly view: PanelView<RunDashboardState, RunDashboardHostMethods, RunDashboardViewMethods>;
  private readonly deps: RunDashboardDeps;

  constructor(panel: vscode.WebviewPanel, runId: string, deps: RunDashboardDeps, restored?: RunDashboardState) {
    super();
    this.runId = runId;
    this.deps = deps;
    this.view = this.register(
      new PanelView<RunDashboardState, RunDashboardHostMethods, RunDashboardViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'run-dashboard',
        log: deps.log,
        titleOf: (state) => `Run: ${state.run.kind} (${state.run.status})`,
        postIntervalMs: POST_INTERVAL_MS,
        handlers: {
          cancelRun: async () => {
            const run = await deps.connection.requireClient().cancelRun(runId);
            deps.store.apply(run);
            return { status: run.status };
          },
          showLog: () => {
            deps.log.show(true);
            return null;
          },
        },
      }),
    );
    this.register(deps.store.onDidChange(() => this.takeSnapshot(deps.store.get(runId))));
    if (restored) this.view.show({ ...restored, live: restored.live && deps.connection.state.kind === 'connected' });
    void this.start(restored).catch((error) => {
      deps.log.warn(`Run dashboard ${runId}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not load run ${runId}: ${errorMessage(error)}`);
    });
  }

  get host(): WebviewHost<RunDashboardState, RunDashboardHostMethods, RunDashboardViewMethods> {
    return this.view.host;
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  private async start(restored: RunDashboardState | undefined): Promise<void> {
    const client = await this.deps.connection.whenConnected(this.panel);
    if (this.isDisposed) return;
    const run = this.deps.store.get(this.runId) ?? (await client.getRun(this.runId));
    if (this.isDisposed) return;
    const events = restored?.events ?? [];
    this.view.show({ run: newest(run, restored?.run), events, live: true });
    this.register(followRunEvents(this.view, client, this.runId, events.at(-1)?.seq ?? 0, this.deps.log, (event) => this.applyEvent(event)));
  }

  private applyEvent(event: RunEventMessage): void {
    const state = this.view.state;
    if (!state) return;
    const run = { ...state.run, lastSeq: Math.max(state.run.lastSeq, event.seq) };
    if (event.type === RUN_EVENT.progress) {
      const data = RunProgressData.safeParse(event.data);
      if (data.success) Object.assign(run, { progress: data.data.fraction, progressMessage: data.data.message });
    } else if (event.type === RUN_EVENT.status) {
      const data = RunStatusData.safeParse(event.data);
      if (data.success) run.status = data.data.status;
    } else if (event.type === RUN_EVENT.done) {
      const data = RunDoneData.safeParse(event.data);
      if (data.success) Object.assign(run, { status: data.data.status, result: data.data.result, error: data.data.error, progress: data.data.status === 'succeeded' ? 1 : run.progress });
    }
    const events = [...state.events, event].slice(-MAX_DASHBOARD_EVENTS);
    this.view.show({ run, events, live: event.type !== RUN_EVENT.done });
  }

  /** The tenant stream's snapshot is authoritative for fields events do not carry (finishedAt...). */
  private takeSnapshot(run: Run | undefined): void {
    const state = this.view.state;
    if (!run || !state) return;
    const merged = newest(run, state.run);
    if (merged !== state.run) this.view.show({ ...state, run: merged });
  }
}

function newest(candidate: Run, held: Run | undefined): Run {
  if (!held) return candidate;
  return candidate.updatedAt >= held.updatedAt && candidate.lastSeq >= held.lastSeq ? candidate : held;
}
