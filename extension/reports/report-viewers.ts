import * as vscode from 'vscode';
import { REPORT_VIEWER_VIEW_TYPE } from '../../protocol/webview.ts';
import type { ReportViewerPersisted } from '../../protocol/webview.ts';
import { Disposable } from '../lifecycle.ts';
import { ReportViewer } from './report-viewer.ts';
import type { ReportViewerDeps } from './report-viewer.ts';

/**
 * The open report viewers, one panel per report. The serializer brings them back after a window
 * reload with what their webview kept with setState (ReportViewerPersisted).
 */
export class ReportViewers extends Disposable {
  private readonly open = new Map<string, ReportViewer>();
  private readonly deps: ReportViewerDeps;

  constructor(deps: ReportViewerDeps) {
    super();
    this.deps = deps;
    this.register(
      vscode.window.registerWebviewPanelSerializer(REPORT_VIEWER_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, persisted: ReportViewerPersisted | undefined) => {
          this.restore(panel, persisted);
        },
      }),
    );
  }

  /** The viewer of a report, if one is open (tests use it). */
  get(reportId: string): ReportViewer | undefined {
    return this.open.get(reportId);
  }

  show(reportId: string): ReportViewer {
    const existing = this.open.get(reportId);
    if (existing) {
      existing.panel.reveal();
      void existing.reload();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEWER_VIEW_TYPE, 'Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews')],
    });
    return this.adopt(new ReportViewer(panel, reportId, this.deps));
  }

  /** Closes the viewer of a report that no longer exists. */
  close(reportId: string): void {
    this.open.get(reportId)?.panel.dispose();
  }

  restore(panel: vscode.WebviewPanel, persisted: ReportViewerPersisted | undefined): ReportViewer | undefined {
    if (!persisted?.reportId) {
      panel.dispose();
      return undefined;
    }
    this.open.get(persisted.reportId)?.panel.dispose();
    return this.adopt(new ReportViewer(panel, persisted.reportId, this.deps, persisted.state));
  }

  private adopt(viewer: ReportViewer): ReportViewer {
    this.open.set(viewer.reportId, viewer);
    viewer.panel.onDidDispose(() => {
      if (this.open.get(viewer.reportId) === viewer) this.open.delete(viewer.reportId);
    });
    return viewer;
  }

  override dispose(): void {
    for (const viewer of this.open.values()) viewer.panel.dispose();
    this.open.clear();
    super.dispose();
  }
}
