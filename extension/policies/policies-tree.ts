import * as vscode from 'vscode';
import type { PolicyClause, PolicyDocumentSummary, PolicyVersionSummary } from '#protocol/policies.ts';
import { policyRuleId } from '#protocol/policies.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { policiesApi } from './policies-api.ts';
import type { PoliciesStore } from './policies-store.ts';

export type PoliciesNode =
  | { kind: 'document'; document: PolicyDocumentSummary }
  | { kind: 'version'; document: PolicyDocumentSummary; version: PolicyVersionSummary; latest: boolean }
  | { kind: 'clause'; clause: PolicyClause };

/**
 * The Policies view: the tenant's documents, each unfolding into its versions (newest first), each
 * version into its clauses. A click on a clause opens it as a read-only document.
 */
export class PoliciesTree extends Disposable implements vscode.TreeDataProvider<PoliciesNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<PoliciesNode>;
  private readonly store: PoliciesStore;
  private readonly connection: Connection;

  constructor(store: PoliciesStore, connection: Connection) {
    super();
    this.store = store;
    this.connection = connection;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.view = this.register(vscode.window.createTreeView('nyx.policies', { treeDataProvider: this, showCollapseAll: true }));
    this.register(store.onDidChange(() => this.updateBadge()));
  }

  async getChildren(element?: PoliciesNode): Promise<PoliciesNode[]> {
    if (!element) return this.store.documents.map((document) => ({ kind: 'document', document }));
    if (element.kind === 'clause') return [];
    if (element.kind === 'document') {
      const detail = await this.store.document(element.document.id);
      return detail.versions.map((version) => ({ kind: 'version', document: element.document, version, latest: version.version === detail.latestVersion }));
    }
    const clauses = element.latest
      ? (await this.store.document(element.document.id)).clauses
      : (await policiesApi.getVersion(this.connection.requireClient(), element.document.id, element.version.version)).clauses;
    return clauses.map((clause) => ({ kind: 'clause', clause }));
  }

  getTreeItem(node: PoliciesNode): vscode.TreeItem {
    if (node.kind === 'document') return documentItem(node.document);
    if (node.kind === 'version') return versionItem(node.document, node.version, node.latest);
    return clauseItem(node.clause);
  }

  private updateBadge(): void {
    const count = this.store.documents.length;
    this.view.description = count ? `${count} ${count === 1 ? 'policy' : 'policies'}` : undefined;
  }
}

function documentItem(document: PolicyDocumentSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(document.title, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `policy/${document.id}`;
  item.iconPath = new vscode.ThemeIcon(document.starter ? 'law' : 'file-text');
  item.description = `v${document.latestVersion} · ${document.clauseCount} clauses${document.starter ? ' · starter' : ''}`;
  item.tooltip = `${document.title}\nKey: ${document.key} (findings cite nyx/policy/${document.key}/<clause>)\nVersion ${document.latestVersion}, ${document.clauseCount} clauses\nUpdated ${new Date(document.updatedAt).toLocaleString()}`;
  item.contextValue = 'nyx.policy';
  item.accessibilityInformation = { label: `Policy ${document.title}, version ${document.latestVersion}, ${document.clauseCount} clauses` };
  return item;
}

function versionItem(document: PolicyDocumentSummary, version: PolicyVersionSummary, latest: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(`Version ${version.version}`, latest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `policy/${document.id}/v${version.version}`;
  item.iconPath = new vscode.ThemeIcon(latest ? 'versions' : 'history');
  item.description = `${latest ? 'latest · ' : ''}${version.clauseCount} clauses · ${new Date(version.createdAt).toLocaleDateString()}`;
  item.tooltip = `${document.title}, version ${version.version}${latest ? ' (latest: searched and reviewed)' : ' (older: kept readable)'}\n${version.format}, ${version.bytes} bytes, sha256 ${version.sha256.slice(0, 12)}…`;
  item.contextValue = 'nyx.policyVersion';
  return item;
}

function clauseItem(clause: PolicyClause): vscode.TreeItem {
  const item = new vscode.TreeItem(`§${clause.number} ${clause.title}`, vscode.TreeItemCollapsibleState.None);
  item.id = `clause/${clause.id}`;
  item.iconPath = new vscode.ThemeIcon(clause.cwes.length ? 'shield' : 'symbol-constant');
  item.description = [...clause.cwes, ...clause.controls].join(', ');
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**§${escape(clause.number)} ${escape(clause.title)}**  \n\`${policyRuleId(clause.documentKey, clause.number)}\`\n\n`);
  tooltip.appendText(clause.text.length > 500 ? `${clause.text.slice(0, 500)}…` : clause.text);
  item.tooltip = tooltip;
  item.contextValue = 'nyx.policyClause';
  item.command = { command: 'nyx.openPolicyClause', title: 'Open Clause', arguments: [{ clauseId: clause.id, title: clause.title }] };
  item.accessibilityInformation = { label: `Clause ${clause.number} ${clause.title}${clause.cwes.length ? `, covers ${clause.cwes.join(', ')}` : ''}` };
  return item;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
