import * as vscode from 'vscode';
import { REPORT_KIND_LABELS } from '#protocol/reports.ts';
import type { ReportKind, ReportSummary } from '#protocol/reports.ts';
import { Disposable } from '../lifecycle.ts';
import type { ReportsStore } from './reports-store.ts';

export const REPORT_KIND_ICONS: Record<ReportKind, string> = {
  analysis: 'checklist',
  autofix: 'wrench',
  refactor: 'symbol-structure',
  discussion: 'comment-discussion',
  workflow: 'run-all',
  digest: 'notebook',
  compliance: 'law',
};

/** The Reports view: the selected project's reports, newest first; a click opens the viewer. */
export class ReportsTree extends Disposable implements vscode.TreeDataProvider<ReportSummary> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ReportSummary>;
  private readonly store: ReportsStore;

  constructor(store: ReportsStore) {
    super();
    this.store = store;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.view = this.register(vscode.window.createTreeView('nyx.reports', { treeDataProvider: this }));
  }

  getChildren(element?: ReportSummary): ReportSummary[] {
    return element ? [] : this.store.reports;
  }

  getTreeItem(report: ReportSummary): vscode.TreeItem {
    const kind = REPORT_KIND_LABELS[report.kind];
    const created = new Date(report.createdAt);
    const item = new vscode.TreeItem(report.title, vscode.TreeItemCollapsibleState.None);
    item.id = report.id;
    item.iconPath = new vscode.ThemeIcon(REPORT_KIND_ICONS[report.kind]);
    item.description = created.toLocaleDateString();
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(report.title)}**\n\n${kind} report · ${created.toLocaleString()}${report.runId ? `\n\nRun \`${report.runId}\`` : ''}`);
    item.contextValue = 'nyx.report';
    item.command = { command: 'nyx.openReport', title: 'Open Report', arguments: [report.id] };
    item.accessibilityInformation = { label: `${kind} report ${report.title}, ${created.toLocaleString()}` };
    return item;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
