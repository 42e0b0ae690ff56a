import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Severity } from '#protocol/findings.ts';
import { Disposable } from '../lifecycle.ts';
import { findingUri, toVscodeRange } from './finding-locations.ts';
import type { FindingsStore } from './findings-store.ts';
import { plainText } from '#protocol/markdown-text.ts';
import { TRIAGE_LABEL } from './triage-finding.command.ts';

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

/** What the Findings view shows: every field narrows; `status` says which findings at all. */
export interface FindingsFilter {
  severities?: Severity[];
  /** A rule id, or a prefix such as `nyx/security/`. */
  ruleId?: string;
  /** Part of a folder-relative path, e.g. `src/` or `server.js`. */
  file?: string;
  /** Words that must all appear in the message, rule, path, CWE or OWASP (case-insensitive). */
  text?: string;
  /** Open (default), the dismissed ones (with their resolution), or both. */
  status?: 'open' | 'dismissed' | 'all';
}

export type FindingsNode =
  | { kind: 'dismissed'; id: string; items: Located[] }
  | { kind: 'file'; id: string; uri: vscode.Uri; items: Located[] }
  | { kind: 'severity'; id: string; severity: Severity; items: Located[] }
  | { kind: 'finding'; id: string; located: Located };

/** The Findings view (`nyx.findings`): open findings of the folders' projects; a click opens the range. */
export class FindingsTree extends Disposable implements vscode.TreeDataProvider<FindingsNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<FindingsNode>;
  private groupingMode: FindingsGrouping = 'file';
  private filterState: FindingsFilter = {};
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

  get filter(): FindingsFilter {
    return this.filterState;
  }

  setFilter(filter: FindingsFilter): void {
    this.filterState = filter;
    const active = describeFilter(filter);
    void vscode.commands.executeCommand('setContext', 'nyx.findingsFiltered', active !== '');
    void vscode.commands.executeCommand('setContext', 'nyx.findingsShowDismissed', (filter.status ?? 'open') !== 'open');
    this.view.description = active || undefined;
    this.refresh();
  }

  getChildren(node?: FindingsNode): FindingsNode[] {
    if (!node) {
      const status = this.filterState.status ?? 'open';
      const open = status === 'dismissed' ? [] : this.grouped(this.located(), '');
      const dismissed = status === 'open' ? [] : this.located('dismissed');
      return dismissed.length ? [...open, { kind: 'dismissed', id: 'dismissed', items: dismissed }] : open;
    }
    if (node.kind === 'dismissed') return byFile(node.items, node.id);
    if (node.kind === 'finding') return [];
    // The outer level groups, the middle level groups by the other key, the inner level is the findings.
    if (node.kind === 'file' && this.groupingMode === 'file') return bySeverity(node.items, node.id);
    if (node.kind === 'severity' && this.groupingMode === 'severity') return byFile(node.items, node.id);
    return node.items.map((located) => findingNode(located, node.id));
  }

  getTreeItem(node: FindingsNode): vscode.TreeItem {
    if (node.kind === 'dismissed') {
      const item = new vscode.TreeItem('Dismissed', (this.filterState.status ?? 'open') === 'dismissed' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.description = String(node.items.length);
      item.iconPath = new vscode.ThemeIcon('eye-closed');
      item.tooltip = 'Findings the team dismissed (false positive, won\'t fix, accepted). Reopen or undo from their menu.';
      return item;
    }
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
    // The file name in every grouping: under a severity or the Dismissed group the parent may be far up.
    const place = `${finding.path.split('/').pop()}:${finding.range.startLine}:${finding.range.startColumn}`;
    const triage = finding.status === 'dismissed' ? ` · ${TRIAGE_LABEL[finding.resolution ?? 'accepted']}` : '';
    item.description = `${finding.ruleId} · ${place}${triage}`;
    item.iconPath = finding.status === 'dismissed' ? new vscode.ThemeIcon('eye-closed') : SEVERITY_ICON[finding.severity];
    const why = finding.status === 'dismissed' ? `\n\n${TRIAGE_LABEL[finding.resolution ?? 'accepted']}: ${finding.dismissedReason ?? ''}` : '';
    item.tooltip = new vscode.MarkdownString(`**${finding.ruleId}** (${finding.severity})\n\n${finding.message}\n\n\`${finding.path}:${finding.range.startLine}\`${why}`);
    item.contextValue = finding.status === 'dismissed' ? 'nyx.finding.dismissed' : finding.fix ? 'nyx.finding.fixable' : 'nyx.finding';
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  private grouped(items: Located[], parentId: string): FindingsNode[] {
    return this.groupingMode === 'file' ? byFile(items, parentId) : bySeverity(items, parentId);
  }

  /** The findings the view shows (filtered), open or dismissed. */
  located(which: 'open' | 'dismissed' = 'open'): Located[] {
    const matches = filterMatcher(this.filterState);
    return this.store.watched().flatMap(({ folder, project }) =>
      (which === 'open' ? this.store.findingsOf(project.id) : this.store.dismissedOf(project.id)).filter(matches).map((finding) => ({ finding, uri: findingUri(folder, finding) })),
    );
  }

  private refresh(): void {
    const count = this.store.watched().reduce((sum, { project }) => sum + this.store.findingsOf(project.id).length, 0);
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

export function filterMatcher(filter: FindingsFilter): (finding: StoredFinding) => boolean {
  const words = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const file = filter.file?.trim().toLowerCase();
  return (finding) => {
    if (filter.severities?.length && !filter.severities.includes(finding.severity)) return false;
    if (filter.ruleId && finding.ruleId !== filter.ruleId && !finding.ruleId.startsWith(filter.ruleId)) return false;
    if (file && !finding.path.toLowerCase().includes(file)) return false;
    if (words.length) {
      const haystack = [finding.message, finding.ruleId, finding.path, ...finding.cwe, ...finding.owasp, finding.dismissedReason ?? ''].join(' ').toLowerCase();
      if (!words.every((word) => haystack.includes(word))) return false;
    }
    return true;
  };
}

/** The view's description while a filter is on, e.g. "errors · src/ · \"eval\" · with dismissed". */
export function describeFilter(filter: FindingsFilter): string {
  const parts: string[] = [];
  if (filter.severities?.length) parts.push(filter.severities.join('+'));
  if (filter.ruleId) parts.push(filter.ruleId);
  if (filter.file) parts.push(filter.file);
  if (filter.text) parts.push(`"${filter.text}"`);
  if (filter.status === 'dismissed') parts.push('dismissed only');
  if (filter.status === 'all') parts.push('with dismissed');
  return parts.join(' · ');
}
