import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { autofixRoutes, AutofixRunParams } from '#protocol/autofix.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { getAutofixState, reportApplied } from './apply-service.ts';
import { startAutofix, startRefactor } from './service.ts';

export function autofixRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  const runOf = (params: Record<string, string>) => parseWith(AutofixRunParams, params, 'runId').runId;

  mount(router, deps, autofixRoutes.startAutofix, async ({ auth, params, body, ctx }) => {
    const run = await startAutofix(services, auth, projectOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, autofixRoutes.startRefactor, async ({ auth, params, body, ctx }) => {
    const run = await startRefactor(services, auth, projectOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, autofixRoutes.get, ({ auth, params }) => getAutofixState(services, auth, runOf(params)));
  mount(router, deps, autofixRoutes.applied, ({ auth, params, body }) => reportApplied(services, auth, runOf(params), body));
  return router;
}
