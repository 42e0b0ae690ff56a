import * as vscode from 'vscode';
import { ROLES, type Role } from '#protocol/roles.ts';
import { teamRoutes, type Invitation, type Member } from '#protocol/team.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { copySecretOnce } from './copy-secret.ts';
import type { TeamAdminStore } from './team-admin-store.ts';

/** Tests (and keybindings) pass what the pickers would ask. */
export interface ChangeRoleArgs {
  role?: Role;
}
export interface InviteArgs {
  role?: Role;
  email?: string | null;
}

function memberOf(node: unknown): Member | undefined {
  return (node as { member?: Member } | undefined)?.member;
}

async function pickRole(title: string, current?: Role): Promise<Role | undefined> {
  const items = [...ROLES].reverse().map((role) => ({ label: role, description: role === current ? 'current' : undefined, role }));
  return (await vscode.window.showQuickPick(items, { title, ignoreFocusOut: true }))?.role;
}

export function registerTeamAdminCommands(connection: Connection, store: TeamAdminStore, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    registerCommand('nyx.team.refresh', log, () => store.reload()),

    registerCommand('nyx.team.changeRole', log, async (node?: unknown, args: ChangeRoleArgs = {}) => {
      const member = memberOf(node);
      if (!member) throw new Error('Pick a member in the Team view.');
      const role = args.role ?? (await pickRole(`Nyx: role of ${member.email}`, member.role));
      if (!role || role === member.role) return undefined;
      const updated = await connection.requireClient().call(teamRoutes.updateMember, { params: { id: member.id }, body: { role } });
      await store.reload();
      void vscode.window.showInformationMessage(`Nyx: ${updated.email} is now ${updated.role}.`);
      return updated;
    }),

    registerCommand('nyx.team.removeMember', log, async (node?: unknown, confirmed?: unknown) => {
      const member = memberOf(node);
      if (!member) throw new Error('Pick a member in the Team view.');
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Remove ${member.email} from the team? Their tokens stop working at once.`, { modal: true }, 'Remove');
        if (answer !== 'Remove') return false;
      }
      await connection.requireClient().call(teamRoutes.removeMember, { params: { id: member.id } });
      await store.reload();
      void vscode.window.showInformationMessage(`Nyx: ${member.email} was removed.`);
      return true;
    }),

    registerCommand('nyx.team.invite', log, async (args: InviteArgs = {}) => {
      const role = args.role ?? (await pickRole('Nyx: invite with which role?', 'member'));
      if (!role) return undefined;
      const email =
        args.email !== undefined
          ? args.email
          : ((await vscode.window.showInputBox({
              title: 'Nyx: invite (optional email)',
              prompt: 'Only this address may accept it (and sign in with SSO). Leave empty for anyone with the code.',
              ignoreFocusOut: true,
            })) ?? undefined);
      if (email === undefined) return undefined;
      const issued = await connection.requireClient().call(teamRoutes.createInvitation, { body: { role, email: email?.trim() || null } });
      const copied = await copySecretOnce(issued.code, 'invitation code', log);
      await store.reload();
      if (copied) void vscode.window.showInformationMessage(`Nyx: invitation (${issued.invitation.role}) copied to the clipboard; it is shown only this once and expires ${new Date(issued.invitation.expiresAt).toLocaleString()}.`);
      return { id: issued.invitation.id, role: issued.invitation.role, prefix: issued.invitation.prefix };
    }),

    registerCommand('nyx.team.revokeInvitation', log, async (node?: unknown) => {
      const invitation = (node as { invitation?: Invitation } | undefined)?.invitation;
      if (!invitation) throw new Error('Pick an invitation in the Team view.');
      await connection.requireClient().call(teamRoutes.revokeInvitation, { params: { id: invitation.id } });
      await store.reload();
    }),
  ];
}
