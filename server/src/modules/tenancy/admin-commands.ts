// The `nyx-server tenant|user|token|member|invite ...` commands, as one table both the CLI and
// the running server's admin socket execute: the CLI sends its parsed arguments over the socket
// when a server answers there, and runs the same function against the database when none does.
// The operator acts as an owner of every team (they own the machine), without a user id; the
// last-owner rule still holds, and what they change is audited with no actor.
import { ROLES, Role } from '#protocol/roles.ts';
import type { AdminAnswer, AdminRequest } from './admin-protocol.ts';
import { TokenScope } from '#protocol/tokens.ts';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { AppError, NotFoundError, ValidationError } from '#server/errors.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { ApiToken } from './api-token.entity.ts';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.ts';
import { findMember, listMembers, removeMember, updateMemberRole, type Actor, type ForgetTokens } from './members.ts';
import { createTenant, createToken, createUser, findTenant, findUser, revokeToken } from './service.ts';
import { Tenant, type ITenant } from './tenant.entity.ts';
import { toTokenInfo } from './tokens.ts';

function usage(message: string): AppError {
  return new AppError(400, 'usage', message);
}

function parseRole(value: string | undefined, fallback?: Role): Role {
  if (value === undefined && fallback) return fallback;
  const parsed = Role.safeParse(value);
  if (!parsed.success) throw new ValidationError(`role: must be one of ${ROLES.join(', ')}`, 'role');
  return parsed.data;
}

function parseCount(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) throw new ValidationError(`${name}: must be a whole number from ${min} to ${max}`, name);
  return number;
}

/** The tenant named by --tenant, or the only one there is. */
async function tenantOf(orm: Orm, request: AdminRequest): Promise<ITenant> {
  if (request.options.tenant) return findTenant(orm, request.options.tenant);
  const tenants = await systemEm(orm).find(Tenant, {}, { limit: 2 });
  if (tenants.length === 1) return tenants[0];
  throw usage(`${request.command} needs --tenant <id|name>${tenants.length ? ' (there are several tenants)' : ' (there is no tenant yet)'}`);
}

const operator = (tenant: ITenant): Actor => ({ tenantId: tenant.id, userId: null, role: 'owner', remoteAddress: null });

async function auditAsOperator(orm: Orm, tenantId: string, action: string, entityType: string, entityId: string, data: Record<string, unknown>): Promise<void> {
  await withTenant(orm, { tenantId, userId: null }, async (em) => {
    recordAudit(em, { tenantId, userId: null }, action, entityType, entityId, { ...data, via: 'cli' });
    await em.flush();
  });
}

export interface AdminContext {
  orm: Orm;
  /** Makes every instance stop trusting these tokens now (revoked, or their user's role changed). */
  forget: ForgetTokens;
}

export async function runAdminCommand(context: AdminContext, request: AdminRequest): Promise<AdminAnswer> {
  const { orm, forget } = context;
  const [first, second] = request.positionals;
  const { options } = request;
  switch (request.command) {
    case 'tenant create': {
      const name = request.positionals.join(' ') || options.name;
      if (!name) throw usage('tenant create needs a name: nyx-server tenant create <name>');
      const tenant = await createTenant(orm, name);
      return { human: `Created tenant "${tenant.name}" (${tenant.id})`, data: { id: tenant.id, name: tenant.name } };
    }
    case 'tenant list': {
      const tenants = await systemEm(orm).find(Tenant, {}, { orderBy: { createdAt: 'asc' } });
      const items = tenants.map((tenant) => ({ id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() }));
      return { human: items.map((t) => `${t.id}  ${t.name}`).join('\n') || 'No tenants.', data: { items } };
    }
    case 'user create': {
      if (!options.tenant || !first) throw usage('user create needs --tenant and an email: nyx-server user create --tenant <id|name> <email>');
      const tenant = await findTenant(orm, options.tenant);
      const user = await createUser(orm, tenant.id, first, options.name, options.role === undefined ? undefined : parseRole(options.role));
      await auditAsOperator(orm, tenant.id, 'member.join', 'user', user.id, { email: user.email, role: user.role });
      return {
        human: `Created user ${user.email} (${user.id}) in tenant "${tenant.name}" as ${user.role}`,
        data: { id: user.id, email: user.email, tenantId: tenant.id, role: user.role },
      };
    }
    case 'member list': {
      const tenant = await tenantOf(orm, request);
      const items = await listMembers(orm, operator(tenant));
      return { human: items.map((m) => `${m.id}  ${m.role.padEnd(6)}  ${m.email}`).join('\n') || 'No members.', data: { tenantId: tenant.id, items } };
    }
    case 'member role': {
      if (!first || !second) throw usage('member role needs a member and a role: nyx-server member role [--tenant <t>] <id|email> <role>');
      const tenant = await tenantOf(orm, request);
      const role = parseRole(second);
      const member = await findMember(orm, operator(tenant), first);
      const updated = await updateMemberRole(orm, operator(tenant), member.id, role, forget);
      return { human: `${updated.email} is now ${updated.role} in "${tenant.name}"`, data: updated };
    }
    case 'member remove': {
      if (!first) throw usage('member remove needs a member: nyx-server member remove [--tenant <t>] <id|email>');
      const tenant = await tenantOf(orm, request);
      const member = await findMember(orm, operator(tenant), first);
      await removeMember(orm, operator(tenant), member.id, forget);
      return { human: `Removed ${member.email} from "${tenant.name}"; their tokens are revoked`, data: { id: member.id, email: member.email, removed: true } };
    }
    case 'invite create': {
      const tenant = await tenantOf(orm, request);
      const issued = await createInvitation(orm, operator(tenant), {
        role: parseRole(options.role, 'member'),
        email: options.email ?? null,
        expiresInHours: parseCount(options.hours, 'hours', 1, 720) ?? 168,
      });
      return {
        human: `${issued.code}\n\nInvitation to "${tenant.name}" as ${issued.invitation.role}, valid until ${issued.invitation.expiresAt}. This is the only time the code is shown.`,
        data: issued,
      };
    }
    case 'invite list': {
      const tenant = await tenantOf(orm, request);
      const items = await listInvitations(orm, operator(tenant));
      return { human: items.map((i) => `${i.id}  ${i.prefix}…  ${i.role.padEnd(6)}  ${i.state.padEnd(8)}  ${i.email ?? ''}`).join('\n') || 'No invitations.', data: { tenantId: tenant.id, items } };
    }
    case 'invite revoke': {
      if (!first) throw usage('invite revoke needs the invitation id: nyx-server invite revoke [--tenant <t>] <id>');
      const tenant = await tenantOf(orm, request);
      if (!/^[0-9a-f-]{36}$/i.test(first)) throw new ValidationError('id: an invitation id is a UUID', 'id');
      const row = await revokeInvitation(orm, operator(tenant), first);
      if (!row) throw new NotFoundError(`invitation ${first}`);
      return { human: `Revoked invitation ${row.prefix}… (${row.id})`, data: { id: row.id, revokedAt: row.revokedAt?.toISOString() ?? null } };
    }
    case 'token create': {
      if (!options.user) throw usage('token create needs --user: nyx-server token create --user <id|email>');
      const user = await findUser(orm, options.user);
      const scope = options.scope === undefined ? undefined : TokenScope.safeParse(options.scope).data;
      if (options.scope !== undefined && !scope) throw new ValidationError('scope: must be one of read, write, admin', 'scope');
      const issued = await createToken(orm, user.id, options.name ?? 'cli', { scope, expiresInDays: parseCount(options.days, 'days', 1, 3650) ?? null });
      await auditAsOperator(orm, user.tenantId, 'token.create', 'api_token', issued.id, { name: options.name ?? 'cli', userId: user.id, scope: issued.scope });
      return { human: `${issued.token}\n\nThis is the only time the token is shown. Keep it secret.`, data: issued };
    }
    case 'token list': {
      if (!options.user) throw usage('token list needs --user: nyx-server token list --user <id|email>');
      const user = await findUser(orm, options.user);
      const rows = await systemEm(orm).find(ApiToken, { userId: user.id }, { orderBy: { createdAt: 'asc' } });
      const items = rows.map(toTokenInfo);
      return {
        human: items.map((t) => `${t.id}  ${t.prefix}…  ${t.scope.padEnd(5)}  ${t.revokedAt ? 'revoked' : t.expiresAt ? `until ${t.expiresAt}` : 'no expiry'}  ${t.name}`).join('\n') || 'No tokens.',
        data: { items },
      };
    }
    case 'token revoke': {
      if (!first) throw usage('token revoke needs the token id or its prefix: nyx-server token revoke <id|prefix>');
      const revoked = await revokeToken(orm, first);
      // Running servers cache tokens for a few seconds; this makes them forget it now.
      await forget([revoked.id]);
      const row = await systemEm(orm).findOneOrFail(ApiToken, { id: revoked.id });
      await auditAsOperator(orm, row.tenantId, 'token.revoke', 'api_token', row.id, { name: row.name, userId: row.userId });
      return { human: `Revoked token ${revoked.prefix}… (${revoked.id})`, data: revoked };
    }
    default:
      throw usage(`unknown command "${request.command}"`);
  }
}
