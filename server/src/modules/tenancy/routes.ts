import Router from '@koa/router';
import { z } from 'zod';
import { tokenRoutes } from '#protocol/tokens.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { ApiToken, type IApiToken } from './api-token.entity.ts';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

const IdParams = z.object({ id: z.uuid() });

function toTokenInfo(row: IApiToken) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.userId,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function tenancyRouter(orm: Orm, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();

  mount(router, deps, tokenRoutes.me, ({ auth }) =>
    withTenant(orm, auth, async (em) => {
      const [tenant, user] = await Promise.all([em.findOneOrFail(Tenant, { id: auth.tenantId }), em.findOneOrFail(User, { id: auth.userId })]);
      return { tenant: { id: tenant.id, name: tenant.name }, user: { id: user.id, email: user.email } };
    }),
  );

  mount(router, deps, tokenRoutes.list, ({ auth }) =>
    withTenant(orm, auth, async (em) => ({ items: (await em.find(ApiToken, {}, { orderBy: { createdAt: 'asc' } })).map(toTokenInfo) })),
  );

  mount(router, deps, tokenRoutes.revoke, async ({ auth, params }) => {
    const id = parseWith(IdParams, params, 'id').id;
    const row = await withTenant(orm, auth, async (em) => {
      const token = await em.findOne(ApiToken, { id });
      if (!token) return null;
      token.revokedAt ??= new Date();
      recordAudit(em, auth, 'token.revoke', 'api_token', token.id);
      await em.flush();
      return token;
    });
    const token = await requireFound(orm, auth, ApiToken, 'token', id, row);
    deps.authenticator.revoked(token.id);
    return toTokenInfo(token);
  });

  return router;
}
