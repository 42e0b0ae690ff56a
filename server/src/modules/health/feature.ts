// The health feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { healthRoutes } from '#protocol/health.ts';
import { healthRouter } from './routes.ts';

/** The liveness and readiness endpoints. */
export const healthFeature: Feature = {
  name: 'health',
  contracts: healthRoutes,
  router: (services, deps) => healthRouter(services.orm, deps, services),
  runKinds: [],
  entities: [],
  eventKinds: [],
};
