import type * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { registerDeleteReportCommand } from './delete-report.command.ts';
import { registerDownloadReportCommands } from './download-report.command.ts';
import { registerOpenReportCommand } from './open-report.command.ts';
import { ReportViewers } from './report-viewers.ts';
import { ReportsStore } from './reports-store.ts';
import { ReportsTree } from './reports-tree.ts';

export interface ReportsFeatureDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** Reports in the editor: the Reports view, the report viewer webview, downloads and deletion. */
export class ReportsFeature extends Disposable {
  readonly store: ReportsStore;
  readonly tree: ReportsTree;
  readonly viewers: ReportViewers;

  constructor({ connection, selection, runs, extensionUri, log }: ReportsFeatureDeps) {
    super();
    this.store = this.register(new ReportsStore(connection, selection, runs, log));
    this.tree = this.register(new ReportsTree(this.store));
    this.viewers = this.register(new ReportViewers({ connection, extensionUri, log }));
    this.register(registerOpenReportCommand(this.store, this.viewers, log));
    this.register(registerDownloadReportCommands(connection, this.store, log));
    this.register(registerDeleteReportCommand(connection, this.store, this.viewers, log));
    this.register(registerCommand('nyx.refreshReports', log, () => this.store.reload()));
  }
}
