// The metrics feature as the composition root sees it (see server/src/feature.ts). Its request
// timer is the outermost middleware, installed by app.ts from registry.ts.
import type { Feature } from '#server/feature.ts';
import { metricsRoutes } from '#protocol/metrics.ts';
import { metricsRouter } from './routes.ts';

/** GET /metrics in Prometheus format, for loopback or NYX_METRICS_TOKEN holders. */
export const metricsFeature: Feature = {
  name: 'metrics',
  contracts: metricsRoutes,
  router: metricsRouter,
  runKinds: [],
  entities: [],
  eventKinds: [],
};
