import { createHash, randomBytes } from 'node:crypto';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, type TenantScope } from '#server/db/tenant-context.ts';
import { ConflictError, NotFoundError, ValidationError } from '#server/errors.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ROLES, Role } from '#protocol/roles.ts';
import { TOKEN_SCOPES, TokenScope } from '#protocol/tokens.ts';
import { ApiToken, type IApiToken } from './api-token.entity.ts';
import { Tenant, type ITenant } from './tenant.entity.ts';
import { User, type IUser } from './user.entity.ts';
import type { RoleHolder } from './roles.ts';

export const TOKEN_PATTERN = /^nyx_[A-Za-z0-9_-]{40}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The administrative operations behind the CLI. They run in the system context. */
export async function createTenant(orm: Orm, name: string): Promise<ITenant> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200) throw new ValidationError('tenant name must be 1 to 200 characters', 'name');
  const em = systemEm(orm);
  const tenant = em.create(Tenant, { name: trimmed });
  await em.flush();
  return tenant;
}

export async function findTenant(orm: Orm, idOrName: string): Promise<ITenant> {
  const em = systemEm(orm);
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrName);
  const tenant = await em.findOne(Tenant, isUuid ? { id: idOrName } : { name: idOrName });
  if (!tenant) throw new NotFoundError(`tenant "${idOrName}"`);
  return tenant;
}

/**
 * Creates a user. Without a role, the first user of a tenant becomes its owner (someone must be
 * able to manage it) and later ones members.
 */
export async function createUser(orm: Orm, tenantId: string, email: string, displayName?: string, role?: Role): Promise<IUser> {
  const normalized = normalizeEmail(email);
  if (role !== undefined && !Role.safeParse(role).success) throw new ValidationError(`role: must be one of ${ROLES.join(', ')}`, 'role');
  const em = systemEm(orm);
  if (await em.findOne(User, { tenantId, email: normalized })) throw new ConflictError(`user ${normalized} already exists in this tenant`, 'email');
  const first = (await em.count(User, { tenantId, removedAt: null })) === 0;
  const user = em.create(User, { tenantId, email: normalized, displayName: displayName ?? null, role: role ?? (first ? 'owner' : 'member') });
  await em.flush();
  return user;
}

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized) || normalized.length > 320) throw new ValidationError(`email: "${email}" is not an email address`, 'email');
  return normalized;
}

export async function findUser(orm: Orm, idOrEmail: string): Promise<IUser> {
  const em = systemEm(orm);
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrEmail);
  const users = await em.find(User, isUuid ? { id: idOrEmail } : { email: idOrEmail.trim().toLowerCase() });
  if (users.length === 0) throw new NotFoundError(`user "${idOrEmail}"`);
  if (users.length > 1) throw new ValidationError(`"${idOrEmail}" exists in several tenants; pass the user id instead`, 'user');
  return users[0];
}

export interface IssuedToken {
  id: string;
  token: string;
  prefix: string;
  tenantId: string;
  userId: string;
  scope: string;
  expiresAt: string | null;
}

export interface TokenOptions {
  /** Defaults to `admin`: the user's whole role (what the CLI and the first local token get). */
  scope?: TokenScope;
  /** Null or absent: never expires. */
  expiresInDays?: number | null;
}

/** A new token's secret and the row that stores its hash; the caller persists the row. */
export function newTokenRow(em: EntityManager, user: Pick<IUser, 'id' | 'tenantId'>, name: string, options: TokenOptions = {}): { row: IApiToken; secret: string } {
  const secret = `nyx_${randomBytes(30).toString('base64url')}`;
  const expiresAt = options.expiresInDays ? new Date(Date.now() + options.expiresInDays * 86_400_000) : null;
  const row = em.create(ApiToken, {
    tenantId: user.tenantId,
    userId: user.id,
    name: name.slice(0, 200),
    prefix: secret.slice(0, 12),
    tokenHash: hashToken(secret),
    scope: options.scope ?? 'admin',
    expiresAt,
  });
  return { row, secret };
}

/** Creates a token and returns its secret, the only time it is ever available. */
export async function createToken(orm: Orm, userId: string, name = 'default', options: TokenOptions = {}): Promise<IssuedToken> {
  if (options.scope !== undefined && !TokenScope.safeParse(options.scope).success) throw new ValidationError(`scope: must be one of ${TOKEN_SCOPES.join(', ')}`, 'scope');
  if (options.expiresInDays != null && !(Number.isInteger(options.expiresInDays) && options.expiresInDays >= 1 && options.expiresInDays <= 3650)) {
    throw new ValidationError('days: must be a whole number of days from 1 to 3650', 'days');
  }
  const em = systemEm(orm);
  const user = await em.findOne(User, { id: userId });
  if (!user || user.removedAt) throw new NotFoundError(`user "${userId}"`);
  const { row, secret } = newTokenRow(em, user, name, options);
  await em.flush();
  return { id: row.id, token: secret, prefix: row.prefix, tenantId: user.tenantId, userId, scope: row.scope, expiresAt: row.expiresAt?.toISOString() ?? null };
}

export interface Authenticated extends TenantScope, RoleHolder {
  userId: string;
  tokenId: string;
  /** When the token stops working (null: never). */
  expiresAt: Date | null;
  /** The client address of the request (the audit log records it). */
  remoteAddress?: string | null;
}

/**
 * Work a run does for the user who started it (memory search during an auto-fix, a sync's
 * follow-up): it acts as a member, the least role that can start runs, whatever the user's role.
 */
export function actingForRun(run: { id: string; tenantId: string; createdBy: string | null }): Authenticated {
  // A run whose author was deleted still runs; its writes then name no author.
  return { tenantId: run.tenantId, userId: run.createdBy as string, tokenId: `run:${run.id}`, role: 'member', userRole: 'member', scope: 'write', expiresAt: null };
}

/** Revokes a token by id or by its displayed prefix (`nyx_AbCdEfGh`); the system-context twin of the API route. */
export async function revokeToken(orm: Orm, idOrPrefix: string): Promise<{ id: string; prefix: string; revokedAt: Date }> {
  const em = systemEm(orm);
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
  const rows = await em.find(ApiToken, isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix });
  if (rows.length === 0) throw new NotFoundError(`token "${idOrPrefix}"`);
  if (rows.length > 1) throw new ValidationError(`several tokens start with "${idOrPrefix}"; pass the token id instead`, 'token');
  const row = rows[0];
  row.revokedAt ??= new Date();
  await em.flush();
  return { id: row.id, prefix: row.prefix, revokedAt: row.revokedAt };
}
