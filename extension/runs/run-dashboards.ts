import * as vscode from 'vscode';
import { RUN_DASHBOARD_VIEW_TYPE } from '../../protocol/webview.ts';
import type { RunDashboardPersisted } from '../../protocol/webview.ts';
import { Disposable } from '../lifecycle.ts';
import { RunDashboard } from './run-dashboard.ts';
import type { RunDashboardDeps } from './run-dashboard.ts';

/**
 * The open run dashboards, one panel per run. The serializer brings them back after a window
 * reload: VS Code hands over the state the webview kept with setState (RunDashboardPersisted).
 */
export class RunDashboards extends Disposable {
  private readonly open = new Map<string, RunDashboard>();
  private readonly deps: RunDashboardDeps;

  constructor(deps: RunDashboardDeps) {
    super();
    this.deps = deps;
    this.register(
      vscode.window.registerWebviewPanelSerializer(RUN_DASHBOARD_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, persisted: RunDashboardPersisted | undefined) => {
          this.restore(panel, persisted);
        },
      }),
    );
  }

  /** The dashboard of a run, if one is open (tests use it). */
  get(runId: string): RunDashboard | undefined {
    return this.open.get(runId);
  }

  show(runId: string): RunDashboard {
    const existing = this.open.get(runId);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RUN_DASHBOARD_VIEW_TYPE, 'Run', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webviews')],
    });
    return this.adopt(new RunDashboard(panel, runId, this.deps));
  }

  /** Brings back a panel VS Code kept across a reload, with what its webview persisted. */
  restore(panel: vscode.WebviewPanel, persisted: RunDashboardPersisted | undefined): RunDashboard | undefined {
    if (!persisted?.runId) {
      panel.dispose();
      return undefined;
    }
    this.open.get(persisted.runId)?.panel.dispose();
    return this.adopt(new RunDashboard(panel, persisted.runId, this.deps, persisted.state));
  }

  private adopt(dashboard: RunDashboard): RunDashboard {
    this.open.set(dashboard.runId, dashboard);
    dashboard.panel.onDidDispose(() => {
      if (this.open.get(dashboard.runId) === dashboard) this.open.delete(dashboard.runId);
    });
    return dashboard;
  }

  override dispose(): void {
    for (const dashboard of this.open.values()) dashboard.panel.dispose();
    this.open.clear();
    super.dispose();
  }
}
