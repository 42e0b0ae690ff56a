import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { githubRoutes } from '#protocol/github.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { listGithubSyncs, startGithubSync } from './sync-service.ts';
import { deleteGithubToken, getGithubTokenInfo, putGithubToken } from './token-service.ts';

export function githubRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm, secretBox, config } = services;
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  mount(router, deps, githubRoutes.getToken, ({ auth }) => getGithubTokenInfo(orm, auth, config.githubApiUrl));
  mount(router, deps, githubRoutes.putToken, ({ auth, body }) => putGithubToken(orm, secretBox, auth, body, config.githubApiUrl));
  mount(router, deps, githubRoutes.deleteToken, ({ auth }) => deleteGithubToken(orm, auth));
  mount(router, deps, githubRoutes.startSync, async ({ auth, params, body, ctx }) => {
    const run = await startGithubSync(services, auth, projectOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, githubRoutes.listSyncs, ({ auth, params }) => listGithubSyncs(services, auth, projectOf(params)));
  return router;
}
