import * as vscode from 'vscode';
import { auditRoutes, teamRoutes, type AuditEntry, type Invitation, type Member, type SecurityEntry } from '#protocol/team.ts';
import { roleAtLeast, type Role } from '#protocol/roles.ts';
import type { Connection } from '../connection/connection.ts';
import { errorMessage } from '../api/errors.ts';
import { Disposable } from '../lifecycle.ts';

/**
 * What the Team view shows: the members with their roles, and for admins the invitations and the
 * latest audit events. Reloaded on connection and after every change made from the editor.
 */
export class TeamAdminStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  members: Member[] = [];
  invitations: Invitation[] = [];
  audit: AuditEntry[] = [];
  security: SecurityEntry[] = [];
  /** The role the signed-in token acts with (null: not connected). */
  myRole: Role | null = null;
  myUserId: string | null = null;
  error: string | null = null;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(connection.onDidChange((state) => (state.kind === 'connected' ? void this.reload() : this.clear())));
  }

  get isAdmin(): boolean {
    return this.myRole !== null && roleAtLeast(this.myRole, 'admin');
  }

  async reload(): Promise<void> {
    const state = this.connection.state;
    if (state.kind !== 'connected') return this.clear();
    const client = state.client;
    try {
      const me = await client.me();
      this.myRole = me.token.role;
      this.myUserId = me.user.id;
      this.members = (await client.call(teamRoutes.listMembers)).items;
      if (this.isAdmin) {
        const [invitations, audit, security] = await Promise.all([
          client.call(teamRoutes.listInvitations),
          client.call(auditRoutes.audit, { query: { limit: 20 } }),
          client.call(auditRoutes.securityEvents, { query: { limit: 20 } }),
        ]);
        this.invitations = invitations.items;
        this.audit = audit.items;
        this.security = security.items;
      } else {
        this.invitations = [];
        this.audit = [];
        this.security = [];
      }
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
      this.log.warn(`Team view: ${this.error}`);
    }
    this.changed.fire();
  }

  private clear(): void {
    this.members = [];
    this.invitations = [];
    this.audit = [];
    this.security = [];
    this.myRole = null;
    this.myUserId = null;
    this.changed.fire();
  }
}
