import { REPORT_VIEWER_VIEW_TYPE } from '#protocol/webview.ts';
import type { ReportViewerPersisted } from '#protocol/webview.ts';
import { WebviewPanels } from '../webview/webview-panels.ts';
import { ReportViewer } from './report-viewer.ts';
import type { ReportViewerDeps } from './report-viewer.ts';

/** The open report viewers, one panel per report, restored after a window reload (ReportViewerPersisted). */
export class ReportViewers extends WebviewPanels<ReportViewer, ReportViewerPersisted> {
  constructor(deps: ReportViewerDeps) {
    super({
      viewType: REPORT_VIEWER_VIEW_TYPE,
      title: 'Report',
      panelOptions: { enableFindWidget: true },
      idOf: (persisted) => persisted.reportId,
      create: (panel, reportId, persisted) => new ReportViewer(panel, reportId, deps, persisted?.state),
      // Opening a report that is already open shows the server's current copy, as a new panel would.
      onReveal: (viewer) => void viewer.reload(),
    });
  }
}
