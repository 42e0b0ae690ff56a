import * as vscode from 'vscode';
import { RUN_EVENT } from '#protocol/events.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import { workflowRoutes } from '#protocol/workflows.ts';
import type { WorkflowRunHostMethods, WorkflowRunViewMethods, WorkflowRunViewState } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { followRunEvents } from '../runs/follow-run-events.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { PanelView } from '../webview/panel-view.ts';
import type { WebviewHost } from '../webview/webview-host.ts';
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
  private readonly panelView: PanelView<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods>;
  private readonly deps: WorkflowRunPanelDeps;

  constructor(panel: vscode.WebviewPanel, runId: string, deps: WorkflowRunPanelDeps, restored?: WorkflowRunViewState) {
    super();
    this.runId = runId;
    this.deps = deps;
    this.panelView = this.register(
      new PanelView<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'workflow-run',
        log: deps.log,
        titleOf: (state) => `Workflow: ${state.workflowName} (${state.status})`,
        postIntervalMs: POST_INTERVAL_MS,
        handlers: {
          retry: async () => {
            const run = await deps.connection.requireClient().call(workflowRoutes.retry, { params: { runId } });
            deps.runs.apply(run);
            if (this.view) this.panelView.show({ ...this.view, retriedAs: run.id });
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
    if (restored) this.panelView.show({ ...restored, live: restored.live && deps.connection.state.kind === 'connected' });
    void this.start(restored).catch((error) => {
      deps.log.warn(`Workflow run ${runId}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not load the workflow run ${runId}: ${errorMessage(error)}`);
    });
  }

  get host(): WebviewHost<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods> {
    return this.panelView.host;
  }

  get panel(): vscode.WebviewPanel {
    return this.panelView.panel;
  }

  /** The state as the host holds it (tests compare it with the server's). */
  get view(): WorkflowRunViewState | undefined {
    return this.panelView.state;
  }

  private async start(restored: WorkflowRunViewState | undefined): Promise<void> {
    const client = await this.deps.connection.whenConnected(this.panel);
    if (this.isDisposed) return;
    const base = restored ?? initialWorkflowRunState(await client.call(workflowRoutes.getRun, { params: { runId: this.runId } }));
    if (this.isDisposed) return;
    this.panelView.show({ ...base, live: true });
    this.register(followRunEvents(this.panelView, client, this.runId, base.lastSeq, this.deps.log, (event) => this.applyEvent(event)));
  }

  private applyEvent(event: RunEventMessage): void {
    if (!this.view) return;
    this.panelView.show(applyWorkflowEvent(this.view, event));
    if (event.type !== RUN_EVENT.done) return;
    // Events do not carry the outputs of reused steps: the run detail fills them in once it ended.
    void this.deps.connection
      .requireClient()
      .call(workflowRoutes.getRun, { params: { runId: this.runId } })
      .then((detail) => this.view && this.panelView.show(fillFromDetail(this.view, detail)))
      .catch((error: unknown) => this.deps.log.warn(`Workflow run ${this.runId}: ${errorMessage(error)}`));
  }
}
