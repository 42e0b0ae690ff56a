import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Severity } from '#protocol/findings.ts';
import { Disposable } from '../lifecycle.ts';
import { findingUri, toVscodeRange } from './finding-locations.ts';
import type { FindingsStore } from './findings-store.ts';
import { plainText } from '#protocol/markdown-text.ts';

/** How the Findings view groups: by file then severity, or by severity then file. */
export type FindingsGrouping = 'file' | 'severity';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const SEVERITY_LABEL: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const SEVERITY_ICON: Record<Severity, vscode.ThemeIcon> = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  info: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
};

/** A finding with the file it is on in this window. */
interface Located {
  finding: StoredFinding;
  uri: vscode.Uri;
}

export type FindingsNode =
  | { kind: 'file'; id: string; uri: vscode.Uri; items: Located[] }
  | { kind: 'severity'; id: string; severity: Severity; items: Located[] }
  | { kind: 'finding'; id: string; located: Located };

/** The Findings view (`nyx.findings`): open findings of the folders' projects; a click opens the range. */
export class FindingsTree extends Disposable implements vscode.TreeDataProvider<FindingsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<FindingsNode>;
  private groupingMode: FindingsGrouping = 'file';
  private readonly store: FindingsStore;

  constructor(store: FindingsStore) {
    super();
    this.store = store;
    this.view = this.register(vscode.window.createTreeView('nyx.findings', { treeDataProvider: this, showCollapseAll: true }));
    this.register(store.onDidChange(() => this.refresh()));
    void vscode.commands.executeCommand('setContext', 'nyx.findingsGrouping', this.groupingMode);
    this.refresh();
  }

  get grouping(): FindingsGrouping {
    return this.groupingMode;
  }

  setGrouping(grouping: FindingsGrouping): void {
    this.groupingMode = grouping;
    void vscode.commands.executeCommand('setContext', 'nyx.findingsGrouping', grouping);
    this.changed.fire();
  }

  getChildren(node?: FindingsNode): FindingsNode[] {
    if (!node) return this.groupingMode === 'file' ? byFile(this.located(), '') : bySeverity(this.located(), '');
    if (node.kind === 'finding') return [];
    // The outer level groups, the middle level groups by the other key, the inner level is the findings.
    if (node.kind === 'file' && this.groupingMode === 'file') return bySeverity(node.items, node.id);
    if (node.kind === 'severity' && this.groupingMode === 'severity') return byFile(node.items, node.id);
    return node.items.map((located) => findingNode(located, node.id));
  }

  getTreeItem(node: FindingsNode): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.uri, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = `${vscode.workspace.asRelativePath(node.uri.with({ path: node.uri.path.replace(/\/[^/]*$/, '') }))} · ${node.items.length}`;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = 'nyx.findingsFile';
      return item;
    }
    if (node.kind === 'severity') {
      const item = new vscode.TreeItem(SEVERITY_LABEL[node.severity], vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = String(node.items.length);
      item.iconPath = SEVERITY_ICON[node.severity];
      return item;
    }
    const { finding, uri } = node.located;
    const range = toVscodeRange(finding.range);
    const item = new vscode.TreeItem(plainText(finding.message.split('\n')[0]!), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `${finding.ruleId} · Ln ${finding.range.startLine}, Col ${finding.range.startColumn}`;
    item.iconPath = SEVERITY_ICON[finding.severity];
    item.tooltip = new vscode.MarkdownString(`**${finding.ruleId}** (${finding.severity})\n\n${finding.message}\n\n\`${finding.path}:${finding.range.startLine}\``);
    item.contextValue = finding.fix ? 'nyx.finding.fixable' : 'nyx.finding';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  private located(): Located[] {
    return this.store.watched().flatMap(({ folder, project }) => this.store.findingsOf(project.id).map((finding) => ({ finding, uri: findingUri(folder, finding) })));
  }

  private refresh(): void {
    const count = this.located().length;
    this.view.badge = count > 0 ? { value: count, tooltip: `${count} open Nyx finding${count === 1 ? '' : 's'}` } : undefined;
    this.changed.fire();
  }
}

function byFile(items: Located[], parentId: string): FindingsNode[] {
  const groups = new Map<string, Located[]>();
  for (const located of items) {
    const key = located.uri.toString();
    groups.set(key, [...(groups.get(key) ?? []), located]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, grouped]) => ({ kind: 'file', id: `${parentId}/file:${key}`, uri: grouped[0].uri, items: grouped }));
}

function bySeverity(items: Located[], parentId: string): FindingsNode[] {
  return SEVERITIES.flatMap((severity): FindingsNode[] => {
    const grouped = items.filter((located) => located.finding.severity === severity);
    return grouped.length > 0 ? [{ kind: 'severity', id: `${parentId}/severity:${severity}`, severity, items: grouped }] : [];
  });
}

function findingNode(located: Located, parentId: string): FindingsNode {
  return { kind: 'finding', id: `${parentId}/finding:${located.finding.id}`, located };
}
