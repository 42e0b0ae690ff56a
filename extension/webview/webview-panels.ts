import * as vscode from 'vscode';
import { Disposable } from '../lifecycle.ts';

/** What a panel offers the registry that opened it. */
export interface OpenPanel extends vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
}

export interface WebviewPanelsOptions<Panel extends OpenPanel, Persisted> {
  /** The panel viewType (protocol/webview.ts); also the serializer's key across reloads. */
  viewType: string;
  /** The tab title until the panel knows what it shows. */
  title: string;
  /** Editor options only settable at creation (the webview's own options are set by WebviewHost). */
  panelOptions?: vscode.WebviewPanelOptions;
  /** The key a persisted panel was opened for (runId, reportId); undefined drops the panel. */
  idOf(persisted: Persisted): string | undefined;
  /** Builds the panel for `id`, from what its webview persisted when restored after a reload. */
  create(panel: vscode.WebviewPanel, id: string, persisted?: Persisted): Panel;
  /** Runs when `show` finds the panel already open (e.g. to fetch its content again). */
  onReveal?(panel: Panel): void;
}

/**
 * The open panels of one kind, at most one per key (a run, a report): `show` opens or reveals it,
 * and the serializer brings panels back after a window reload with what their webview kept with
 * setState. A closed panel is disposed and forgotten.
 */
export class WebviewPanels<Panel extends OpenPanel, Persisted> extends Disposable {
  private readonly open = new Map<string, Panel>();
  private readonly options: WebviewPanelsOptions<Panel, Persisted>;

  constructor(options: WebviewPanelsOptions<Panel, Persisted>) {
    super();
    this.options = options;
    this.register(
      vscode.window.registerWebviewPanelSerializer(options.viewType, {
        deserializeWebviewPanel: async (panel, persisted: Persisted | undefined) => {
          this.restore(panel, persisted);
        },
      }),
    );
  }

  /** The open panel of a key, if any (tests use it). */
  get(id: string): Panel | undefined {
    return this.open.get(id);
  }

  show(id: string): Panel {
    const existing = this.open.get(id);
    if (existing) {
      existing.panel.reveal();
      this.options.onReveal?.(existing);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(this.options.viewType, this.options.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      ...this.options.panelOptions,
    });
    return this.adopt(id, this.options.create(panel, id));
  }

  /** Closes the panel of a key (e.g. its report was deleted). */
  close(id: string): void {
    this.open.get(id)?.panel.dispose();
  }

  /** A panel VS Code kept across a reload, with what its webview persisted. */
  restore(panel: vscode.WebviewPanel, persisted: Persisted | undefined): Panel | undefined {
    const id = persisted ? this.options.idOf(persisted) : undefined;
    if (!id) {
      panel.dispose();
      return undefined;
    }
    this.close(id);
    return this.adopt(id, this.options.create(panel, id, persisted));
  }

  private adopt(id: string, opened: Panel): Panel {
    this.open.set(id, opened);
    opened.panel.onDidDispose(() => {
      opened.dispose();
      if (this.open.get(id) === opened) this.open.delete(id);
    });
    return opened;
  }

  override dispose(): void {
    for (const opened of this.open.values()) opened.panel.dispose();
    this.open.clear();
    super.dispose();
  }
}
