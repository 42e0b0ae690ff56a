import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { DiscussionRunParams, discussionRoutes } from '#protocol/discussions.ts';
import { getDiscussion, implementDiscussion, listDiscussions, startDiscussion } from './service.ts';

export function discussionsRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const runIdOf = (params: Record<string, string>) => parseWith(DiscussionRunParams, params, 'runId').runId;
  // Context files can be large; allow what DiscussionContext allows (400,000 characters) plus JSON.
  const startDeps: MountDeps = { ...deps, bodyLimitBytes: Math.max(deps.bodyLimitBytes, 2 * 1024 * 1024) };
  mount(router, startDeps, discussionRoutes.start, async ({ auth, body, ctx }) => {
    const run = await startDiscussion(services, auth, body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, discussionRoutes.list, async ({ auth, query }) => ({ items: await listDiscussions(services, auth, query) }));
  mount(router, deps, discussionRoutes.get, ({ auth, params }) => getDiscussion(services, auth, runIdOf(params)));
  mount(router, deps, discussionRoutes.implement, async ({ auth, params, body, ctx }) => {
    const implemented = await implementDiscussion(services, auth, runIdOf(params), body);
    if (implemented.run.deduplicated) ctx.status = 200;
    return implemented;
  });
  return router;
}
