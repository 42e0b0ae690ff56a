// Who an identity-provider sign-in is in the team: an existing member (their role re-mapped from
// the groups), a newcomer with a matching invitation, or a newcomer the team lets sign up.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '#protocol/roles.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Invitation } from '#server/modules/tenancy/invitation.entity.ts';
import { User, type IUser } from '#server/modules/tenancy/user.entity.ts';
import { decideRole, groupsFrom, mappedRole } from './policy.ts';
import type { ISsoConfig } from './sso-config.entity.ts';

export interface IdpIdentity {
  email: string;
  displayName: string | null;
  claims: Record<string, unknown>;
}

export type Membership = { ok: true; user: IUser; role: Role } | { ok: false; reason: string };

/**
 * Runs inside the tenant's transaction (RLS scoped to the team). Writes the user, the role change
 * and an accepted invitation together with their audit events, or nothing when it refuses.
 */
export async function resolveMembership(em: EntityManager, config: ISsoConfig, identity: IdpIdentity): Promise<Membership> {
  const tenantId = config.tenantId;
  const groups = groupsFrom(identity.claims, config.groupsClaim);
  const mapped = mappedRole(groups, config.groupRoles);
  const mappingActive = Object.keys(config.groupRoles).length > 0;
  const scope = { tenantId, userId: null };
  const existing = await em.findOne(User, { tenantId, email: identity.email });

  if (existing) {
    if (existing.removedAt) return { ok: false, reason: `${identity.email} was removed from this team; an admin can invite them again.` };
    const role = decideRole({ current: existing.role as Role, mapped, mappingActive, defaultRole: config.defaultRole ?? null, invited: null });
    if (!role) return { ok: false, reason: `None of ${identity.email}'s groups (${config.groupsClaim}: ${groups.join(', ') || 'none'}) gives a role in this team.` };
    if (role !== existing.role) {
      recordAudit(em, { tenantId, userId: existing.id }, 'member.role', 'user', existing.id, { from: existing.role, to: role, by: 'sso', groups });
      existing.role = role;
    }
    if (!existing.displayName && identity.displayName) existing.displayName = identity.displayName;
    return { ok: true, user: existing, role };
  }

  const invitation = await em.findOne(
    Invitation,
    { tenantId, email: identity.email, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
    { orderBy: { createdAt: 'desc' } },
  );
  if (!invitation && !config.allowSignup) {
    return { ok: false, reason: `${identity.email} is not a member of this team: ask an admin for an invitation to this address.` };
  }
  const role = decideRole({ current: null, mapped, mappingActive, defaultRole: config.defaultRole ?? null, invited: (invitation?.role as Role | undefined) ?? null });
  if (!role) return { ok: false, reason: `None of ${identity.email}'s groups (${config.groupsClaim}: ${groups.join(', ') || 'none'}) gives a role in this team.` };
  const user = em.create(User, { id: randomUUID(), tenantId, email: identity.email, displayName: identity.displayName, role });
  recordAudit(em, { ...scope, userId: user.id }, 'member.join', 'user', user.id, { role, by: invitation ? 'sso+invitation' : 'sso', groups });
  if (invitation) {
    invitation.acceptedAt = new Date();
    invitation.acceptedUserId = user.id;
    recordAudit(em, { ...scope, userId: user.id }, 'invitation.accept', 'invitation', invitation.id, { via: 'sso' });
  }
  return { ok: true, user, role };
}
