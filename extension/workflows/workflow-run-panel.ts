import * as vscode from 'vscode';
import { RUN_EVENT } from '../../protocol/events.ts';
import type { RunEventMessage } from '../../protocol/events.ts';
import { workflowRoutes } from '../../protocol/workflows.ts';
import type { WorkflowRunHostMethods, WorkflowRunViewMethods, WorkflowRunViewState } from '../../protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import { RunEventFeed } from '../runs/run-event-feed.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { WebviewHost } from '../webview/webview-host.ts';
import { applyWorkflowEvent, fillFromDetail, initialWorkflowRunState } from './workflow-run-state.ts';

export interface WorkflowRunPanelDeps {
  connection: Connection;
  runs: RunsStore;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** Opens the view of another run (the one a retry started). */
  show(runId: string): unknown;
}

const POST_INTERVAL_MS = 80;

/**
 * One workflow run: a row per step with its status, streamed output and the context Nyx injected,
 * and "Retry from failed step". Follows the run stream from `lastSeq` like the discussion view.
 */
export class WorkflowRunPanel extends Disposable {
  readonly runId: string;
  readonly host: WebviewHost<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods>;
  private state: WorkflowRunViewState | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  private readonly deps: WorkflowRunPanelDeps;

  constructor(panel: vscode.WebviewPanel, runId: string, deps: WorkflowRunPanelDeps, restored?: WorkflowRunViewState) {
    super();
    this.runId = runId;
    this.deps = deps;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'nyx.svg');
    this.host = this.register(
      new WebviewHost<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'workflow-run',
        log: deps.log,
        handlers: {
          retry: async () => {
            const run = await deps.connection.requireClient().call(workflowRoutes.retry, { params: { runId } });
            deps.runs.apply(run);
            if (this.state) this.update({ ...this.state, retriedAs: run.id });
            deps.show(run.id);
            return { runId: run.id };
          },
          openRun: ({ runId: target }) => {
            deps.show(target);
            return null;
          },
        },
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.postTimer)));
    if (restored) this.update(restored);
    void this.start(restored).catch((error) => {
      deps.log.warn(`Workflow run ${runId}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not load the workflow run ${runId}: ${errorMessage(error)}`);
    });
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  get view(): WorkflowRunViewState | undefined {
    return this.state;
  }

  private async start(restored: WorkflowRunViewState | undefined): Promise<void> {
    const client = this.deps.connection.requireClient();
    const base = restored ?? initialWorkflowRunState(await client.call(workflowRoutes.getRun, { params: { runId: this.runId } }));
    if (this.isDisposed) return;
    this.update({ ...base, live: true });
    const feed = this.register(new RunEventFeed(client, this.runId, base.lastSeq > 0 ? String(base.lastSeq) : undefined, this.deps.log));
    this.register(feed.onEvent((event) => this.applyEvent(event)));
    void feed.ended.then(() => {
      if (!this.isDisposed && this.state?.live) this.update({ ...this.state, live: false });
    });
  }

  private applyEvent(event: RunEventMessage): void {
    if (!this.state) return;
    this.update(applyWorkflowEvent(this.state, event));
    if (event.type !== RUN_EVENT.done) return;
    void this.deps.connection
      .requireClient()
      .call(workflowRoutes.getRun, { params: { runId: this.runId } })
      .then((detail) => this.state && !this.isDisposed && this.update(fillFromDetail(this.state, detail)))
      .catch((error: unknown) => this.deps.log.warn(`Workflow run ${this.runId}: ${errorMessage(error)}`));
  }

  private update(state: WorkflowRunViewState): void {
    this.state = state;
    this.panel.title = `Workflow: ${state.workflowName} (${state.status})`;
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      if (this.state && !this.isDisposed) this.host.setState(this.state);
    }, POST_INTERVAL_MS);
  }
}
