import Router from '@koa/router';
import { runRoutes, RunIdParams } from '#protocol/runs.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import type { RunRuntime } from '#server/modules/runs/engine/runtime.ts';
import type { Orm } from '#server/db/orm.ts';
import { cancelRun, createRun, getRun, listRuns } from './service.ts';
import { mountEventStreams } from './stream-routes.ts';

export function runsRouter(orm: Orm, deps: MountDeps, runtime: RunRuntime, sseKeepAliveMs: number): Router<NyxState> {
  const router = new Router<NyxState>();
  const services = { orm, bus: runtime.bus, registry: runtime.registry };
  const idOf = (params: Record<string, string>) => parseWith(RunIdParams, params, 'id').id;
  mount(router, deps, runRoutes.create, async ({ auth, body, ctx }) => {
    const run = await createRun(services, auth, body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, runRoutes.list, async ({ auth, query }) => ({ items: await listRuns(orm, auth, query) }));
  mount(router, deps, runRoutes.get, ({ auth, params }) => getRun(orm, auth, idOf(params)));
  mount(router, deps, runRoutes.cancel, ({ auth, params }) => cancelRun(services, auth, idOf(params)));
  mountEventStreams(router, orm, deps, runtime, sseKeepAliveMs);
  return router;
}
