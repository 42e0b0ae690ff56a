import { RUN_DASHBOARD_VIEW_TYPE } from '#protocol/webview.ts';
import type { RunDashboardPersisted } from '#protocol/webview.ts';
import { WebviewPanels } from '../webview/webview-panels.ts';
import { RunDashboard } from './run-dashboard.ts';
import type { RunDashboardDeps } from './run-dashboard.ts';

/** The open run dashboards, one panel per run, restored after a window reload (RunDashboardPersisted). */
export class RunDashboards extends WebviewPanels<RunDashboard, RunDashboardPersisted> {
  constructor(deps: RunDashboardDeps) {
    super({
      viewType: RUN_DASHBOARD_VIEW_TYPE,
      title: 'Run',
      idOf: (persisted) => persisted.runId,
      create: (panel, runId, persisted) => new RunDashboard(panel, runId, deps, persisted?.state),
    });
  }
}
