// The tenancy feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { tokenRoutes } from '#protocol/tokens.ts';
import { teamRoutes } from '#protocol/team.ts';
import { tenancyRouter } from './routes.ts';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';
import { ApiToken } from './api-token.entity.ts';
import { Invitation } from './invitation.entity.ts';
import { startAdminSocket } from './admin-socket.ts';

/** Tenants, members and their roles, invitations and API tokens: who is calling, for which team, allowed to do what. */
export const tenancyFeature: Feature = {
  name: 'tenancy',
  contracts: { ...tokenRoutes, ...teamRoutes },
  router: (services, deps) => tenancyRouter(services.orm, deps),
  runKinds: [],
  entities: [Tenant, User, ApiToken, Invitation],
  eventKinds: [],
  // `nyx-server member|invite|token ...` talk to the running server through it (docs/team-admin.md).
  start: startAdminSocket,
};
