import * as vscode from 'vscode';
import type { MethodTable } from '#protocol/webview.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import { WebviewHost } from './webview-host.ts';
import type { RequestHandlers } from './webview-host.ts';

export interface PanelViewOptions<State, HostMethods extends MethodTable> {
  panel: vscode.WebviewPanel;
  extensionUri: vscode.Uri;
  /** webviews/<surface>/main.ts (see WebviewHostOptions). */
  surface: string;
  handlers: RequestHandlers<HostMethods>;
  log: vscode.LogOutputChannel;
  /** The panel's tab title for a state (the tab is the only place a hidden panel shows its state). */
  titleOf(state: State): string;
  /**
   * Panels fed by a fast event stream post at most one state per this many ms, so a burst of
   * tokens does not flood the webview; without it every state is posted at once.
   */
  postIntervalMs?: number;
}

/**
 * What every Nyx editor panel (run dashboard, discussion, workflow run, report viewer) does the
 * same way around its WebviewHost: the Nyx icon, the latest state kept on the host side, the tab
 * title derived from it, and posting it (throttled for streamed panels). What a panel shows and
 * which requests it answers stay with the panel.
 */
export class PanelView<State, HostMethods extends MethodTable, ViewMethods extends MethodTable> extends Disposable {
  readonly host: WebviewHost<State, HostMethods, ViewMethods>;
  private latest: State | undefined;
  private postTimer: NodeJS.Timeout | undefined;
  private readonly titleOf: (state: State) => string;
  private readonly postIntervalMs: number | undefined;

  constructor(options: PanelViewOptions<State, HostMethods>) {
    super();
    this.titleOf = options.titleOf;
    this.postIntervalMs = options.postIntervalMs;
    options.panel.iconPath = vscode.Uri.joinPath(options.extensionUri, 'media', 'nyx.svg');
    const { panel, extensionUri, surface, handlers, log } = options;
    this.host = this.register(new WebviewHost<State, HostMethods, ViewMethods>({ panel, extensionUri, surface, handlers, log }));
    this.register(this.host.panel.onDidDispose(() => this.dispose()));
    this.register(toDisposable(() => clearTimeout(this.postTimer)));
  }

  get panel(): vscode.WebviewPanel {
    return this.host.panel;
  }

  /** The state last shown (posted now or at the next tick of the interval). */
  get state(): State | undefined {
    return this.latest;
  }

  /** Shows a state; ignored once the panel is closed (late answers of the server arrive then). */
  show(state: State): void {
    if (this.isDisposed) return;
    this.latest = state;
    this.panel.title = this.titleOf(state);
    if (this.postIntervalMs === undefined) {
      this.host.setState(state);
      return;
    }
    if (this.postTimer) return;
    this.postTimer = setTimeout(() => {
      this.postTimer = undefined;
      if (this.latest !== undefined && !this.isDisposed) this.host.setState(this.latest);
    }, this.postIntervalMs);
  }
}
