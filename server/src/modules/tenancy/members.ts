// Members of a team and their roles. Used by the HTTP routes (the actor is the caller's token) and
// by the CLI and the admin socket (the actor is the machine's operator, acting as an owner).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Member } from '#protocol/team.ts';
import { roleAtLeast, type Role } from '#protocol/roles.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#server/errors.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { storedRole } from './roles.ts';
import { User, type IUser } from './user.entity.ts';

/** Who is doing team administration: a member through the API, or the operator (`userId` null, role owner). */
export interface Actor {
  tenantId: string;
  userId: string | null;
  role: Role;
  remoteAddress?: string | null;
}

/** Told which tokens to stop trusting now (revoked, or their user's role changed), on every instance. */
export type ForgetTokens = (tokenIds: string[]) => void | Promise<void>;

export function toMember(user: IUser, lastActiveAt: Date | null = null): Member {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName ?? null,
    role: storedRole(user.role),
    createdAt: user.createdAt.toISOString(),
    lastActiveAt: lastActiveAt ? new Date(lastActiveAt).toISOString() : null,
  };
}

/** Admins and owners are managed by owners: touching one (or making one) needs the owner role. */
export function requireOwnerFor(actor: Actor, ...roles: Role[]): void {
  if (actor.role === 'owner' || !roles.some((role) => roleAtLeast(role, 'admin'))) return;
  throw new ForbiddenError(`needs role owner; you are ${actor.role} (admins and owners are managed by owners)`, 'role');
}

export async function listMembers(orm: Orm, actor: Actor): Promise<Member[]> {
  return withTenant(orm, actor, async (em) => {
    const users = await em.find(User, { removedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const lastUse = await em.execute<{ user_id: string; last: Date }[]>(
      'select user_id, max(last_used_at) as last from api_tokens where last_used_at is not null group by user_id',
    );
    const lastByUser = new Map(lastUse.map((row) => [row.user_id, row.last]));
    return users.map((user) => toMember(user, lastByUser.get(user.id) ?? null));
  });
}

/** The active member, locked for this transaction, or the 404 a missing (or other tenant's) id gets. */
async function lockedMember(em: EntityManager, id: string): Promise<IUser> {
  const [row] = await em.execute<{ id: string }[]>('select id from users where id = ? and removed_at is null for update', [id]);
  const user = row ? await em.findOne(User, { id }) : null;
  if (!user) throw new NotFoundError(`member ${id}`);
  return user;
}

/**
 * Refuses to leave the team without an owner. The owners' rows are locked first, so two owners
 * demoting each other at the same moment cannot both succeed.
 */
async function requireAnotherOwner(em: EntityManager, user: IUser, field: string, what: string): Promise<void> {
  if (user.role !== 'owner') return;
  const owners = await em.execute<{ id: string }[]>("select id from users where role = 'owner' and removed_at is null order by id for update");
  if (owners.filter((owner) => owner.id !== user.id).length === 0) {
    throw new ConflictError(`${user.email} is the team's last owner: make another member owner before ${what}`, field);
  }
}

async function tokenIdsOf(em: EntityManager, userId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>('select id from api_tokens where user_id = ?', [userId]);
  return rows.map((row) => row.id);
}

export async function updateMemberRole(orm: Orm, actor: Actor, id: string, role: Role, forget: ForgetTokens): Promise<Member> {
  const { member, tokens } = await withTenant(orm, actor, async (em) => {
    // Lock owners before the member: every path that changes owners takes the locks in this order.
    await em.execute("select id from users where role = 'owner' and removed_at is null order by id for update");
    const user = await lockedMember(em, id);
    const from = storedRole(user.role);
    requireOwnerFor(actor, from, role);
    if (from === role) return { member: toMember(user), tokens: [] };
    if (role !== 'owner') await requireAnotherOwner(em, user, 'role', 'demoting them');
    user.role = role;
    recordAudit(em, actor, 'member.role', 'user', user.id, { email: user.email, from, to: role });
    await em.flush();
    return { member: toMember(user), tokens: await tokenIdsOf(em, user.id) };
  });
  // Cached identities carry the old role: look them up again everywhere.
  await forget(tokens);
  return member;
}

/** Removes a member: their row stays (the audit log names them), their tokens are revoked now. */
export async function removeMember(orm: Orm, actor: Actor, id: string, forget: ForgetTokens): Promise<void> {
  const revoked = await withTenant(orm, actor, async (em) => {
    await em.execute("select id from users where role = 'owner' and removed_at is null order by id for update");
    const user = await lockedMember(em, id);
    requireOwnerFor(actor, storedRole(user.role));
    await requireAnotherOwner(em, user, 'id', 'removing them');
    user.removedAt = new Date();
    const rows = await em.execute<{ id: string }[]>('update api_tokens set revoked_at = now() where user_id = ? and revoked_at is null returning id', [user.id]);
    recordAudit(em, actor, 'member.remove', 'user', user.id, { email: user.email, role: user.role, tokensRevoked: rows.length });
    await em.flush();
    return rows.map((row) => row.id);
  });
  await forget(revoked);
}

/** Finds an active member by id or email, for the CLI. */
export async function findMember(orm: Orm, actor: Actor, idOrEmail: string): Promise<IUser> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrEmail);
  const user = await withTenant(orm, actor, (em) =>
    em.findOne(User, isUuid ? { id: idOrEmail, removedAt: null } : { email: idOrEmail.trim().toLowerCase(), removedAt: null }),
  );
  if (!user) throw new NotFoundError(`member "${idOrEmail}"`);
  return user;
}
