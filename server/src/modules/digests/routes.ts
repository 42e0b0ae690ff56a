import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { DigestIdParams, digestRoutes } from '#protocol/digests.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { deleteDigest, getDigest, listDigests, setDigestStatus, startDigest } from './service.ts';

export function digestsRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  const idOf = (params: Record<string, string>) => parseWith(DigestIdParams, params, 'id').id;

  mount(router, deps, digestRoutes.list, async ({ auth, params, query }) => ({ items: await listDigests(orm, auth, projectOf(params), query) }));
  mount(router, deps, digestRoutes.start, async ({ auth, params, body, ctx }) => {
    const run = await startDigest(services, auth, projectOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, digestRoutes.get, ({ auth, params }) => getDigest(orm, auth, idOf(params)));
  mount(router, deps, digestRoutes.update, ({ auth, params, body }) => setDigestStatus(orm, auth, idOf(params), body.status));
  mount(router, deps, digestRoutes.remove, ({ auth, params }) => deleteDigest(orm, auth, idOf(params)));
  return router;
}
