// The single sign-on feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { ssoRoutes } from '#protocol/sso.ts';
import { ssoRouter } from './routes.ts';
import { SsoConfigRow } from './sso-config.entity.ts';
import { SsoLoginRow } from './sso-login.entity.ts';
import { SsoSessionRow } from './sso-session.entity.ts';
import { pruneSsoLogins } from './pruning.ts';

/** OpenID Connect sign-in for teams: IdP settings per tenant, browser sign-ins, session tokens. */
export const ssoFeature: Feature = {
  name: 'sso',
  contracts: ssoRoutes,
  router: (services, deps) => ssoRouter(services, deps),
  runKinds: [],
  entities: [SsoConfigRow, SsoLoginRow, SsoSessionRow],
  eventKinds: [],
  start: (services) => {
    const timer = setInterval(() => void pruneSsoLogins(services.orm).catch((error: unknown) => services.log.warn({ err: error }, 'pruning single sign-ons failed')), 10 * 60_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
