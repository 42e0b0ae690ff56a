import * as vscode from 'vscode';
import { discussionRoutes } from '#protocol/discussions.ts';
import type { DiscussionHostMethods, DiscussionViewMethods, DiscussionViewState } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { PersonasStore } from '../personas/personas-store.ts';
import { followRunEvents } from '../runs/follow-run-events.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { PanelView } from '../webview/panel-view.ts';
import type { WebviewHost } from '../webview/webview-host.ts';
import { applyDiscussionEvent, emptyTranscript } from './discussion-transcript.ts';

export interface DiscussionPanelDeps {
  connection: Connection;
  personas: PersonasStore;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** Tokens arrive every ~50 ms per turn; the view is repainted at most this often. */
const POST_INTERVAL_MS = 80;

/**
 * One discussion in a webview: a bubble per turn that fills as tokens stream in, then the
 * synthesis. It follows the run's event stream from `lastSeq` (Last-Event-ID); a panel restored
 * after a reload continues where its persisted state ended, a new one replays from the start.
 * Nothing is asked of the server before the connection is up (Connection.whenConnected).
 */
export class DiscussionPanel extends Disposable {
  readonly runId: string;
  private readonly view: PanelView<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods>;
  private readonly deps: DiscussionPanelDeps;

  constructor(panel: vscode.WebviewPanel, runId: string, deps: DiscussionPanelDeps, restored?: DiscussionViewState) {
    super();
    this.runId = runId;
    this.deps = deps;
    this.view = this.register(
      new PanelView<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'discussion',
        log: deps.log,
        titleOf: (state) => `Discussion: ${truncate(state.topic, 40)}`,
        postIntervalMs: POST_INTERVAL_MS,
        handlers: {
          implement: async ({ target }) => {
            const client = deps.connection.requireClient();
            const implemented = await client.call(discussionRoutes.implement, { params: { runId }, body: { target } });
            deps.runs.apply(implemented.run);
            deps.trackedRuns().track(implemented.run, `${implemented.kind} run implementing the discussion`);
            const state = this.view.state;
            if (state) this.view.show({ ...state, implemented: { runId: implemented.run.id, kind: implemented.kind } });
            await vscode.commands.executeCommand('nyx.openRun', implemented.run.id);
            return { runId: implemented.run.id, kind: implemented.kind };
          },
          openRun: async ({ runId: target }) => {
            await vscode.commands.executeCommand('nyx.openRun', target);
            return null;
          },
        },
      }),
    );
    // Until the connection is back (a restored panel comes up before it), what it kept is shown as not live.
    if (restored) this.view.show({ ...restored, live: restored.live && deps.connection.state.kind === 'connected' });
    void this.start(restored).catch((error) => {
      deps.log.warn(`Discussion ${runId}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not load the discussion ${runId}: ${errorMessage(error)}`);
    });
  }

  get host(): WebviewHost<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods> {
    return this.view.host;
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  /** The transcript as the host holds it (tests compare it with the server's). */
  get transcript(): DiscussionViewState | undefined {
    return this.view.state;
  }

  private async start(restored: DiscussionViewState | undefined): Promise<void> {
    const client = await this.deps.connection.whenConnected(this.panel);
    if (this.isDisposed) return;
    const discussion = await client.call(discussionRoutes.get, { params: { runId: this.runId } });
    if (this.isDisposed) return;
    const base = restored ?? emptyTranscript(discussion);
    this.view.show({ ...base, live: true });
    void this.deps.personas
      .portraitsOf(discussion.personaIds)
      .then((portraits) => this.view.state && this.view.show({ ...this.view.state, portraits }))
      .catch((error: unknown) => this.deps.log.warn(`Discussion portraits: ${errorMessage(error)}`));
    this.register(
      followRunEvents(this.view, client, this.runId, base.lastSeq, this.deps.log, (event) => {
        if (this.view.state) this.view.show(applyDiscussionEvent(this.view.state, event));
      }),
    );
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
