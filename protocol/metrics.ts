import { route } from './routes.ts';

/**
 * Prometheus text exposition (text/plain; version=0.0.4). Off the public interface: answered to
 * loopback clients, or to others that send `Authorization: Bearer <NYX_METRICS_TOKEN>`; anyone
 * else gets the same 404 as an unknown route.
 */
export const metricsRoutes = {
  metrics: route({ method: 'get', path: '/metrics', summary: 'Prometheus metrics (loopback clients, or a bearer NYX_METRICS_TOKEN)', auth: false, produces: ['text/plain'], errors: [404] }),
};
