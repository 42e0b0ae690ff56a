import * as vscode from 'vscode';
import { discussionRoutes } from '../../protocol/discussions.ts';
import type { RunEventMessage } from '../../protocol/events.ts';
import type { DiscussionHostMethods, DiscussionViewMethods, DiscussionViewState } from '../../protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import type { PersonasStore } from '../personas/personas-store.ts';
import { RunEventFeed } from '../runs/run-event-feed.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { WebviewHost } from '../webview/webview-host.ts';
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
 */
export class DiscussionPanel extends Disposable {
  readonly runId: string;
  readonly host: WebviewHost<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods>;
  private state: DiscussionViewState | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  private readonly deps: DiscussionPanelDeps;

  constructor(panel: vscode.WebviewPanel, runId: string, deps: DiscussionPanelDeps, restored?: DiscussionViewState) {
    super();
    this.runId = runId;
    this.deps = deps;
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'nyx.svg');
    this.host = this.register(
      new WebviewHost<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'discussion',
        log: deps.log,
        handlers: {
          implement: async ({ target }) => {
            const client = deps.connection.requireClient();
            const implemented = await client.call(discussionRoutes.implement, { params: { runId }, body: { target } });
            deps.runs.apply(implemented.run);
            deps.trackedRuns().track(implemented.run, `${implemented.kind} run implementing the discussion`);
            if (this.state) this.update({ ...this.state, implemented: { runId: implemented.run.id, kind: implemented.kind } });
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
    this.register(toDisposable(() => clearTimeout(this.postTimer)));
    if (restored) this.update(restored);
    void this.start(restored).catch((error) => {
      deps.log.warn(`Discussion ${runId}: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Could not load the discussion ${runId}: ${errorMessage(error)}`);
    });
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** The transcript as the host holds it (tests compare it with the server's). */
  get transcript(): DiscussionViewState | undefined {
    return this.state;
  }

  private async start(restored: DiscussionViewState | undefined): Promise<void> {
    const client = this.deps.connection.requireClient();
    const discussion = await client.call(discussionRoutes.get, { params: { runId: this.runId } });
    if (this.isDisposed) return;
    const base = restored ?? emptyTranscript(discussion);
    this.update({ ...base, live: true });
    void this.deps.personas
      .portraitsOf(discussion.personaIds)
      .then((portraits) => this.state && !this.isDisposed && this.update({ ...this.state, portraits }))
      .catch((error: unknown) => this.deps.log.warn(`Discussion portraits: ${errorMessage(error)}`));
    const feed = this.register(new RunEventFeed(client, this.runId, base.lastSeq > 0 ? String(base.lastSeq) : undefined, this.deps.log));
    this.register(feed.onEvent((event) => this.applyEvent(event)));
    void feed.ended.then(() => {
      if (!this.isDisposed && this.state?.live) this.update({ ...this.state, live: false });
    });
  }

  private applyEvent(event: RunEventMessage): void {
    if (!this.state) return;
    this.update(applyDiscussionEvent(this.state, event));
  }

  private update(state: DiscussionViewState): void {
    this.state = state;
    this.panel.title = `Discussion: ${truncate(state.topic, 40)}`;
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      if (this.state && !this.isDisposed) this.host.setState(this.state);
    }, POST_INTERVAL_MS);
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
