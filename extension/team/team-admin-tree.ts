import * as vscode from 'vscode';
import type { AuditEntry, Invitation, Member, SecurityEntry } from '#protocol/team.ts';
import { Disposable } from '../lifecycle.ts';
import type { TeamAdminStore } from './team-admin-store.ts';

export type TeamNode =
  | { kind: 'section'; section: 'members' | 'invitations' | 'audit' | 'security' }
  | { kind: 'member'; member: Member }
  | { kind: 'invitation'; invitation: Invitation }
  | { kind: 'audit'; entry: AuditEntry }
  | { kind: 'security'; entry: SecurityEntry }
  | { kind: 'message'; text: string };

const ROLE_ICONS: Record<string, string> = { owner: 'star-full', admin: 'shield', member: 'person', viewer: 'eye' };

/**
 * The Team view: Members (role as description; admins get change-role and remove in the context
 * menu), Invitations and Recent activity (both for admins only: the server refuses others).
 */
export class TeamAdminTree extends Disposable implements vscode.TreeDataProvider<TeamNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TeamNode>;
  private readonly store: TeamAdminStore;

  constructor(store: TeamAdminStore) {
    super();
    this.store = store;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.view = this.register(vscode.window.createTreeView('nyx.teamAdmin', { treeDataProvider: this }));
  }

  getChildren(element?: TeamNode): TeamNode[] {
    if (!element) {
      if (this.store.error) return [{ kind: 'message', text: this.store.error }];
      if (!this.store.myRole) return [];
      const sections: TeamNode[] = [{ kind: 'section', section: 'members' }];
      if (this.store.isAdmin) sections.push({ kind: 'section', section: 'invitations' }, { kind: 'section', section: 'audit' }, { kind: 'section', section: 'security' });
      return sections;
    }
    if (element.kind !== 'section') return [];
    if (element.section === 'members') return this.store.members.map((member) => ({ kind: 'member', member }));
    if (element.section === 'invitations') {
      const open = this.store.invitations.filter((invitation) => invitation.state === 'pending');
      return open.length ? open.map((invitation) => ({ kind: 'invitation', invitation })) : [{ kind: 'message', text: 'No open invitations' }];
    }
    if (element.section === 'security') {
      return this.store.security.length ? this.store.security.map((entry) => ({ kind: 'security', entry })) : [{ kind: 'message', text: 'No security events' }];
    }
    return this.store.audit.map((entry) => ({ kind: 'audit', entry }));
  }

  getTreeItem(node: TeamNode): vscode.TreeItem {
    switch (node.kind) {
      case 'section': {
        const labels = { members: `Members (${this.store.members.length})`, invitations: 'Invitations', audit: 'Recent activity', security: 'Security events' };
        const folded = node.section === 'audit' || node.section === 'security';
        const item = new vscode.TreeItem(labels[node.section], folded ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.id = `section:${node.section}`;
        item.contextValue = `nyx.team.${node.section}`;
        return item;
      }
      case 'member': {
        const { member } = node;
        const item = new vscode.TreeItem(member.displayName ? `${member.displayName} <${member.email}>` : member.email);
        item.id = `member:${member.id}`;
        item.description = member.id === this.store.myUserId ? `${member.role} (you)` : member.role;
        item.iconPath = new vscode.ThemeIcon(ROLE_ICONS[member.role] ?? 'person');
        item.tooltip = `${member.email}\nRole: ${member.role}\nMember since ${new Date(member.createdAt).toLocaleDateString()}${member.lastActiveAt ? `\nLast active ${new Date(member.lastActiveAt).toLocaleString()}` : ''}`;
        item.contextValue = this.store.isAdmin && member.id !== this.store.myUserId ? 'nyx.team.member.manageable' : 'nyx.team.member';
        return item;
      }
      case 'invitation': {
        const { invitation } = node;
        const item = new vscode.TreeItem(invitation.email ?? `code ${invitation.prefix}…`);
        item.id = `invitation:${invitation.id}`;
        item.description = `${invitation.role}, until ${new Date(invitation.expiresAt).toLocaleDateString()}`;
        item.iconPath = new vscode.ThemeIcon('mail');
        item.contextValue = 'nyx.team.invitation';
        return item;
      }
      case 'audit': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.action);
        item.id = `audit:${entry.id}`;
        item.description = `${entry.actor?.email ?? 'system'} · ${new Date(entry.at).toLocaleString()}`;
        item.tooltip = `${entry.action} on ${entry.entityType} ${entry.entityId}\nby ${entry.actor?.email ?? 'the server or the CLI'}${entry.remoteAddress ? ` from ${entry.remoteAddress}` : ''}\n${entry.data ? JSON.stringify(entry.data) : ''}`;
        item.iconPath = new vscode.ThemeIcon('history');
        return item;
      }
      case 'security': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.kind);
        item.id = `security:${entry.id}`;
        item.description = `${entry.count > 1 ? `${entry.count}× · ` : ''}${entry.remoteAddress ?? 'unknown address'} · ${new Date(entry.lastSeenAt ?? entry.at).toLocaleString()}`;
        item.tooltip = `${entry.kind}${entry.target ? ` (${entry.target})` : ''}\n${entry.count} time(s) from ${entry.remoteAddress ?? 'an unknown address'}`;
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'message':
        return Object.assign(new vscode.TreeItem(node.text), { iconPath: new vscode.ThemeIcon('info') });
    }
  }
}
