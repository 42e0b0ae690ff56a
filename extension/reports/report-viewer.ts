import * as vscode from 'vscode';
import { REPORT_KIND_LABELS } from '#protocol/reports.ts';
import type { Report } from '#protocol/reports.ts';
import type { ReportViewerHostMethods, ReportViewerReport, ReportViewerState, ReportViewerViewMethods } from '#protocol/webview.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { PanelView } from '../webview/panel-view.ts';
import type { WebviewHost } from '../webview/webview-host.ts';
import { announceSaved, downloadReport } from './report-download.ts';

export interface ReportViewerDeps {
  connection: Connection;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/**
 * One report in a webview panel (webviews/report-viewer): rendered Markdown, its table of
 * contents, and the two downloads. A panel restored after a reload shows what it kept at once and
 * then the server's current copy.
 */
export class ReportViewer extends Disposable {
  readonly reportId: string;
  /** Settles once the server's copy is shown (or the error that kept it from loading). */
  readonly loaded: Promise<void>;
  private readonly view: PanelView<ReportViewerState, ReportViewerHostMethods, ReportViewerViewMethods>;
  private readonly deps: ReportViewerDeps;

  constructor(panel: vscode.WebviewPanel, reportId: string, deps: ReportViewerDeps, restored?: ReportViewerState) {
    super();
    this.reportId = reportId;
    this.deps = deps;
    this.view = this.register(
      new PanelView<ReportViewerState, ReportViewerHostMethods, ReportViewerViewMethods>({
        panel,
        extensionUri: deps.extensionUri,
        surface: 'report-viewer',
        log: deps.log,
        titleOf: (state) => (state.report ? `Report: ${state.report.title}` : 'Report'),
        handlers: {
          download: async ({ format }) => {
            const path = await downloadReport(deps.connection, reportId, format);
            if (path) announceSaved(path, format);
            return path ? { path } : null;
          },
          openPolicyClause: async ({ documentKey, number }) => {
            await vscode.commands.executeCommand('nyx.openPolicyClause', { documentKey, number });
            return null;
          },
        },
      }),
    );
    this.view.show(restored ?? { report: null, error: null });
    this.loaded = this.reload();
  }

  get host(): WebviewHost<ReportViewerState, ReportViewerHostMethods, ReportViewerViewMethods> {
    return this.view.host;
  }

  get panel(): vscode.WebviewPanel {
    return this.view.panel;
  }

  /** Fetches the report again and shows it. */
  async reload(): Promise<void> {
    try {
      const client = await this.deps.connection.whenConnected(this.panel);
      const report = await client.getReport(this.reportId);
      this.view.show({ report: toViewerReport(report), error: null });
    } catch (error) {
      this.deps.log.warn(`Report ${this.reportId}: ${errorMessage(error)}`);
      this.view.show({ report: null, error: `Could not load the report: ${errorMessage(error)}` });
    }
  }
}

function toViewerReport(report: Report): ReportViewerReport {
  return { id: report.id, kind: report.kind, kindLabel: REPORT_KIND_LABELS[report.kind], title: report.title, createdAt: report.createdAt, markdown: report.markdown };
}
