import { createHash, randomBytes } from 'node:crypto';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, type TenantScope } from '#server/db/tenant-context.ts';
import { ConflictError, NotFoundError, ValidationError } from '#server/errors.ts';
import { ApiToken } from './api-token.entity.ts';
import { Tenant, type ITenant } from './tenant.entity.ts';
import { User, type IUser } from './user.entity.ts';

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

export async function createUser(orm: Orm, tenantId: string, email: string, displayName?: string): Promise<IUser> {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized) || normalized.length > 320) throw new ValidationError(`"${email}" is not an email address`, 'email');
  const em = systemEm(orm);
  if (await em.findOne(User, { tenantId, email: normalized })) throw new ConflictError(`user ${normalized} already exists in this tenant`, 'email');
  const user = em.create(User, { tenantId, email: normalized, displayName: displayName ?? null });
  await em.flush();
  return user;
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
}

/** Creates a token and returns its secret, the only time it is ever available. */
export async function createToken(orm: Orm, userId: string, name = 'default'): Promise<IssuedToken> {
  const em = systemEm(orm);
  const user = await em.findOne(User, { id: userId });
  if (!user) throw new NotFoundError(`user "${userId}"`);
  const token = `nyx_${randomBytes(30).toString('base64url')}`;
  const prefix = token.slice(0, 12);
  const row = em.create(ApiToken, { tenantId: user.tenantId, userId, name, prefix, tokenHash: hashToken(token) });
  await em.flush();
  return { id: row.id, token, prefix, tenantId: user.tenantId, userId };
}

export interface Authenticated extends TenantScope {
  userId: string;
  tokenId: string;
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
