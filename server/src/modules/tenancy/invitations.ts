// Invitations: a one-time code with a role and an expiry. The code is shown once and stored as a
// SHA-256 hash; accepting it creates (or brings back) the member and, unless single sign-on binds
// the invitation instead, a first token.
import { randomBytes } from 'node:crypto';
import type { AcceptedInvitation, Invitation as InvitationInfo, IssuedInvitation } from '#protocol/team.ts';
import type { Role } from '#protocol/roles.ts';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, ForbiddenError, GoneError, NotFoundError } from '#server/errors.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Invitation, type IInvitation } from './invitation.entity.ts';
import { requireOwnerFor, toMember, type Actor } from './members.ts';
import { storedRole, storedScope } from './roles.ts';
import { hashToken, newTokenRow, normalizeEmail } from './service.ts';
import { Tenant } from './tenant.entity.ts';
import { toTokenInfo } from './tokens.ts';
import { User } from './user.entity.ts';

export const INVITATION_CODE_PATTERN = /^nyxinv_[A-Za-z0-9_-]{40}$/;
/** The first token an accepted invitation hands out lasts this long. */
const FIRST_TOKEN_DAYS = 90;

export function invitationState(row: IInvitation, now = Date.now()): InvitationInfo['state'] {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt.getTime() <= now ? 'expired' : 'pending';
}

export function toInvitation(row: IInvitation): InvitationInfo {
  return {
    id: row.id,
    role: storedRole(row.role),
    email: row.email ?? null,
    prefix: row.prefix,
    state: invitationState(row),
    expiresAt: row.expiresAt.toISOString(),
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
    acceptedUserId: row.acceptedUserId ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createInvitation(orm: Orm, actor: Actor, input: { role: Role; email?: string | null; expiresInHours: number }): Promise<IssuedInvitation> {
  requireOwnerFor(actor, input.role);
  const email = input.email ? normalizeEmail(input.email) : null;
  const code = `nyxinv_${randomBytes(30).toString('base64url')}`;
  const row = await withTenant(orm, actor, async (em) => {
    const invitation = em.create(Invitation, {
      tenantId: actor.tenantId,
      role: input.role,
      email,
      codeHash: hashToken(code),
      prefix: code.slice(0, 14),
      expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
      createdBy: actor.userId,
    });
    recordAudit(em, actor, 'invitation.create', 'invitation', invitation.id, { role: input.role, email, expiresAt: invitation.expiresAt.toISOString() });
    await em.flush();
    return invitation;
  });
  return { invitation: toInvitation(row), code };
}

export async function listInvitations(orm: Orm, actor: Actor): Promise<InvitationInfo[]> {
  const rows = await withTenant(orm, actor, (em) => em.find(Invitation, {}, { orderBy: { createdAt: 'desc', id: 'desc' } }));
  return rows.map(toInvitation);
}

/** Revoking twice is harmless; an accepted invitation cannot be revoked (remove the member instead): 409. */
export async function revokeInvitation(orm: Orm, actor: Actor, id: string): Promise<IInvitation | null> {
  return withTenant(orm, actor, async (em) => {
    const row = await em.findOne(Invitation, { id });
    if (!row) return null;
    if (row.acceptedAt) throw new ConflictError('this invitation was already accepted; remove the member instead', 'id');
    requireOwnerFor(actor, storedRole(row.role));
    if (!row.revokedAt) {
      row.revokedAt = new Date();
      recordAudit(em, actor, 'invitation.revoke', 'invitation', row.id, { role: row.role, email: row.email });
      await em.flush();
    }
    return row;
  });
}

export interface AcceptOptions {
  /**
   * False when single sign-on binds the invitation at sign-in: the identity provider vouched for
   * the email, and the SSO flow issues its own session token.
   */
  issueToken?: boolean;
  remoteAddress?: string | null;
}

export interface AcceptResult {
  tenant: { id: string; name: string };
  member: AcceptedInvitation['member'];
  token: AcceptedInvitation['token'] | null;
}

/**
 * Accepts an invitation code. Unknown: 404; expired, revoked or used: 410; made for another
 * address: 403; the address is already an active member: 409. Nothing is written in any of
 * these cases. The invitation row is locked while it is used, so a code works exactly once.
 */
export async function acceptInvitation(orm: Orm, input: { code: string; email: string; displayName?: string }, options: AcceptOptions = {}): Promise<AcceptResult> {
  if (!INVITATION_CODE_PATTERN.test(input.code)) throw new NotFoundError('invitation code');
  const email = normalizeEmail(input.email);
  // The tenant is not known before the code is: look it up in the system context, like a token.
  const found = await systemEm(orm).findOne(Invitation, { codeHash: hashToken(input.code) });
  if (!found) throw new NotFoundError('invitation code');
  const scope = { tenantId: found.tenantId, userId: null, remoteAddress: options.remoteAddress ?? null };
  return withTenant(orm, scope, async (em) => {
    await em.execute('select id from invitations where id = ? for update', [found.id]);
    const invitation = await em.findOneOrFail(Invitation, { id: found.id }, { refresh: true });
    const state = invitationState(invitation);
    if (state !== 'pending') throw new GoneError(`code: this invitation was ${state === 'expired' ? `valid until ${invitation.expiresAt.toISOString()}` : state === 'accepted' ? 'already used' : 'revoked'}`, 'code');
    if (invitation.email && invitation.email !== email) throw new ForbiddenError('email: this invitation is for another email address', 'email');
    const role = storedRole(invitation.role);
    let user = await em.findOne(User, { email });
    if (user && !user.removedAt) throw new ConflictError(`email: ${email} is already a member of this team`, 'email');
    if (user) {
      // A removed member comes back with the invited role; their history stays theirs.
      user.removedAt = null;
      user.role = role;
      if (input.displayName) user.displayName = input.displayName;
    } else {
      user = em.create(User, { tenantId: invitation.tenantId, email, displayName: input.displayName ?? null, role });
    }
    invitation.acceptedAt = new Date();
    invitation.acceptedUserId = user.id;
    const actor = { ...scope, userId: user.id };
    recordAudit(em, actor, 'invitation.accept', 'invitation', invitation.id, { email, role });
    recordAudit(em, actor, 'member.join', 'user', user.id, { email, role, invitationId: invitation.id });
    const issued = options.issueToken === false ? null : newTokenRow(em, user, 'first token (invitation)', { scope: 'admin', expiresInDays: FIRST_TOKEN_DAYS });
    if (issued) recordAudit(em, actor, 'token.create', 'api_token', issued.row.id, { name: issued.row.name, scope: storedScope(issued.row.scope) });
    await em.flush();
    const tenant = await em.findOneOrFail(Tenant, { id: invitation.tenantId });
    return {
      tenant: { id: tenant.id, name: tenant.name },
      member: toMember(user),
      token: issued ? { token: toTokenInfo(issued.row), secret: issued.secret } : null,
    };
  });
}
