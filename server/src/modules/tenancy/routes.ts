import Router from '@koa/router';
import { teamRoutes } from '#protocol/team.ts';
import { tokenRoutes } from '#protocol/tokens.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { AppError, NotFoundError } from '#server/errors.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, type MountDeps } from '#server/http/mount.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { ApiToken } from './api-token.entity.ts';
import { Invitation } from './invitation.entity.ts';
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation, toInvitation } from './invitations.ts';
import { listMembers, removeMember, updateMemberRole, type ForgetTokens } from './members.ts';
import { storedRole } from './roles.ts';
import { deleteTeam, teamInfo } from './team.ts';
import { Tenant } from './tenant.entity.ts';
import type { Authenticated } from './service.ts';
import { createPersonalToken, listTokens, revokePersonalToken, toTokenInfo } from './tokens.ts';
import { User } from './user.entity.ts';

export function tenancyRouter(orm: Orm, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const forget: ForgetTokens = (tokenIds) => deps.authenticator.forgetTokens(tokenIds);
  // Another team's member id answers like a missing one, and is recorded as a cross-tenant probe.
  const asMember = async <T>(auth: Authenticated, id: string, work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      if (error instanceof NotFoundError) await requireFound(orm, auth, User, 'member', id, null);
      throw error;
    }
  };

  mount(router, deps, tokenRoutes.me, ({ auth }) =>
    withTenant(orm, auth, async (em) => {
      const [tenant, user] = await Promise.all([em.findOneOrFail(Tenant, { id: auth.tenantId }), em.findOneOrFail(User, { id: auth.userId })]);
      return {
        tenant: { id: tenant.id, name: tenant.name },
        user: { id: user.id, email: user.email, displayName: user.displayName ?? null, role: storedRole(user.role) },
        token: { id: auth.tokenId, scope: auth.scope, role: auth.role, expiresAt: auth.expiresAt?.toISOString() ?? null },
      };
    }),
  );

  mount(router, deps, tokenRoutes.list, async ({ auth }) => ({ items: await listTokens(orm, auth) }));
  mount(router, deps, tokenRoutes.create, ({ auth, body }) => createPersonalToken(orm, auth, body));
  mount(router, deps, tokenRoutes.revoke, async ({ auth, params }) => {
    const token = await requireFound(orm, auth, ApiToken, 'token', params.id, await revokePersonalToken(orm, auth, params.id));
    deps.authenticator.revoked(token.id);
    return toTokenInfo(token);
  });

  mount(router, deps, teamRoutes.team, ({ auth }) => teamInfo(orm, auth));
  mount(router, deps, teamRoutes.deleteTeam, async ({ auth, query, ctx }) => {
    await deleteTeam(orm, auth, query.confirm, forget);
    ctx.state.log.warn({ tenantId: auth.tenantId, userId: auth.userId }, 'team deleted by its owner');
    ctx.status = 204;
  });

  mount(router, deps, teamRoutes.listMembers, async ({ auth }) => ({ items: await listMembers(orm, auth) }));
  mount(router, deps, teamRoutes.updateMember, ({ auth, params, body }) => asMember(auth, params.id, updateMemberRole(orm, auth, params.id, body.role, forget)));
  mount(router, deps, teamRoutes.removeMember, async ({ auth, params, ctx }) => {
    await asMember(auth, params.id, removeMember(orm, auth, params.id, forget));
    ctx.status = 204;
  });

  mount(router, deps, teamRoutes.listInvitations, async ({ auth }) => ({ items: await listInvitations(orm, auth) }));
  mount(router, deps, teamRoutes.createInvitation, ({ auth, body }) => createInvitation(orm, auth, body));
  mount(router, deps, teamRoutes.revokeInvitation, async ({ auth, params }) =>
    toInvitation(await requireFound(orm, auth, Invitation, 'invitation', params.id, await revokeInvitation(orm, auth, params.id))),
  );
  mount(router, deps, teamRoutes.acceptInvitation, async ({ body, ctx }) => {
    const address = ctx.ip || null;
    // Guessing codes is as slow as guessing tokens: the same per-address bucket of failures.
    deps.authenticator.checkAttempt(address);
    try {
      const accepted = await acceptInvitation(orm, body, { remoteAddress: address });
      return { ...accepted, token: accepted.token! };
    } catch (error) {
      if (AppError.is(error) && [403, 404, 410].includes(error.status)) {
        await deps.authenticator.failedAttempt('invitation_invalid', address, body.code.slice(0, 14));
      }
      throw error;
    }
  });

  return router;
}
