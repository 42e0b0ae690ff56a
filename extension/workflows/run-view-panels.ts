import * as vscode from 'vscode';
import { Disposable } from '../lifecycle.ts';

/** What a run view (discussion, workflow run) offers its registry. */
export interface RunView extends vscode.Disposable {
  readonly runId: string;
  readonly panel: vscode.WebviewPanel;
}

/**
 * The open views of one kind, one panel per run. The serializer brings them back after a window
 * reload with what their webview persisted (`{ runId, state }`).
 */
export class RunViewPanels<View extends RunView, State> extends Disposable {
  private readonly open = new Map<string, View>();
  private readonly viewType: string;
  private readonly title: string;
  private readonly create: (panel: vscode.WebviewPanel, runId: string, restored?: State) => View;

  constructor(viewType: string, title: string, create: (panel: vscode.WebviewPanel, runId: string, restored?: State) => View) {
    super();
    this.viewType = viewType;
    this.title = title;
    this.create = create;
    this.register(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel, persisted: { runId?: string; state?: State } | undefined) => {
          this.restore(panel, persisted);
        },
      }),
    );
  }

  get(runId: string): View | undefined {
    return this.open.get(runId);
  }

  show(runId: string): View {
    const existing = this.open.get(runId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.viewType, this.title, vscode.ViewColumn.Active, { enableScripts: true });
    return this.adopt(this.create(panel, runId));
  }

  /** A panel VS Code kept across a reload, with what its webview persisted. */
  restore(panel: vscode.WebviewPanel, persisted: { runId?: string; state?: State } | undefined): View | undefined {
    if (!persisted?.runId) {
      panel.dispose();
      return undefined;
    }
    this.open.get(persisted.runId)?.panel.dispose();
    return this.adopt(this.create(panel, persisted.runId, persisted.state));
  }

  private adopt(view: View): View {
    this.open.set(view.runId, view);
    view.panel.onDidDispose(() => {
      view.dispose();
      if (this.open.get(view.runId) === view) this.open.delete(view.runId);
    });
    return view;
  }

  override dispose(): void {
    for (const view of this.open.values()) view.panel.dispose();
    this.open.clear();
    super.dispose();
  }
}
