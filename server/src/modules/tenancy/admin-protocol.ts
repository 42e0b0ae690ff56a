// What the CLI and the admin socket agree on: the commands, their usage text, the request and
// answer shapes and where the socket is. Nothing heavy is imported here, so a CLI call that a
// running server answers does not load the server.
import { join } from 'node:path';
import { ROLES } from '#protocol/roles.ts';

export const ADMIN_SOCKET_PATH = '/v1/command';

export function adminSocketPath(home: string): string {
  return join(home, 'admin.sock');
}

export interface AdminRequest {
  /** `member role`, `invite create`, ... */
  command: string;
  positionals: string[];
  options: Record<string, string | undefined>;
}

/** What the CLI prints: a line for people, the data for `--json`. */
export interface AdminAnswer {
  human: string;
  data: unknown;
}

export const ADMIN_USAGE = `  tenant create <name>                    create a tenant
  tenant list                             list tenants
  user create --tenant <t> <email> [--role <role>] [--name <display name>]
                                          create a user (the first of a tenant is its owner)
  member list [--tenant <t>]              members and their roles
  member role [--tenant <t>] <id|email> <role>
                                          change a role (${ROLES.join(', ')})
  member remove [--tenant <t>] <id|email> remove a member and revoke their tokens
  invite create [--tenant <t>] [--role <role>] [--email <email>] [--hours <n>]
                                          create a one-time invitation code (printed once)
  invite list [--tenant <t>]              list invitations
  invite revoke [--tenant <t>] <id>       revoke an invitation
  token create --user <id|email> [--name <label>] [--scope read|write|admin] [--days <n>]
                                          create an API token (printed once)
  token list --user <id|email>            a user's tokens
  token revoke <id|prefix>                revoke an API token

  <t> is a tenant's id or name; it may be left out when there is only one tenant.`;

export const ADMIN_COMMANDS = [
  'tenant create',
  'tenant list',
  'user create',
  'member list',
  'member role',
  'member remove',
  'invite create',
  'invite list',
  'invite revoke',
  'token create',
  'token list',
  'token revoke',
] as const;

export function isAdminCommand(command: string): boolean {
  return (ADMIN_COMMANDS as readonly string[]).includes(command);
}
