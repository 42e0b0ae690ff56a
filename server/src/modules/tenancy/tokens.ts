// Personal API tokens through the API: list (your own, or every one for admins), create (shown
// once; never more than the creating token may do) and revoke (yours, or anyone's for admins).
import { roleAtLeast } from '#protocol/roles.ts';
import type { IssuedToken, TokenInfo, TokenScope } from '#protocol/tokens.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ForbiddenError } from '#server/errors.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { ApiToken, type IApiToken } from './api-token.entity.ts';
import { scopeAtMost, storedScope } from './roles.ts';
import { newTokenRow, type Authenticated } from './service.ts';
import { User } from './user.entity.ts';

export function toTokenInfo(row: IApiToken): TokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.userId,
    scope: storedScope(row.scope),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listTokens(orm: Orm, auth: Authenticated): Promise<TokenInfo[]> {
  const everyone = roleAtLeast(auth.role, 'admin');
  const rows = await withTenant(orm, auth, (em) => em.find(ApiToken, everyone ? {} : { userId: auth.userId }, { orderBy: { createdAt: 'asc', id: 'asc' } }));
  return rows.map(toTokenInfo);
}

export async function createPersonalToken(orm: Orm, auth: Authenticated, input: { name: string; scope: TokenScope; expiresInDays: number | null }): Promise<IssuedToken> {
  // Otherwise a write token could mint an admin one and climb to the user's whole role.
  if (!scopeAtMost(input.scope, auth.scope)) {
    throw new ForbiddenError(`scope: this token has scope ${auth.scope} and cannot create a token with scope ${input.scope}`, 'scope');
  }
  return withTenant(orm, auth, async (em) => {
    const user = await em.findOneOrFail(User, { id: auth.userId });
    const { row, secret } = newTokenRow(em, user, input.name, { scope: input.scope, expiresInDays: input.expiresInDays });
    recordAudit(em, auth, 'token.create', 'api_token', row.id, { name: row.name, scope: input.scope, expiresAt: row.expiresAt?.toISOString() ?? null });
    await em.flush();
    return { token: toTokenInfo(row), secret };
  });
}

/** Null when the tenant has no such token (the route answers 404). Another member's token needs admin: 403. */
export async function revokePersonalToken(orm: Orm, auth: Authenticated, id: string): Promise<IApiToken | null> {
  return withTenant(orm, auth, async (em) => {
    const token = await em.findOne(ApiToken, { id });
    if (!token) return null;
    if (token.userId !== auth.userId && !roleAtLeast(auth.role, 'admin')) throw new ForbiddenError(`needs role admin; you are ${auth.role} (this is another member's token)`);
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      recordAudit(em, auth, 'token.revoke', 'api_token', token.id, { name: token.name, userId: token.userId });
      await em.flush();
    }
    return token;
  });
}
