import Router from '@koa/router';
import { healthRoutes } from '#protocol/health.ts';
import type { Orm } from '#server/db/orm.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, type MountDeps } from '#server/http/mount.ts';
import { databaseHealth } from './service.ts';

export function healthRouter(orm: Orm, deps: MountDeps, info: { version: string; startedAt: number; embedded: boolean }): Router<NyxState> {
  const router = new Router<NyxState>();
  mount(router, deps, healthRoutes.health, async () => ({
    status: 'ok',
    version: info.version,
    uptimeSeconds: Math.round((Date.now() - info.startedAt) / 1000),
  }));
  mount(router, deps, healthRoutes.database, async ({ ctx }) => {
    const health = await databaseHealth(orm, info.embedded);
    if (health.status === 'down') {
      ctx.state.log.warn({ error: health.error }, 'database health check failed');
      ctx.status = 503;
    }
    return health;
  });
  return router;
}
