import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { FindingIdParams } from '#protocol/analysis.ts';
import { triageRoutes } from '#protocol/triage.ts';
import { triageFinding, triageHistory, undoTriage } from './triage-service.ts';

export function triageRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const bus = services.runs.bus;
  const findingOf = (params: Record<string, string>) => parseWith(FindingIdParams, params, 'id').id;
  mount(router, deps, triageRoutes.triageFinding, ({ auth, params, body }) => triageFinding(orm, bus, auth, findingOf(params), body));
  mount(router, deps, triageRoutes.undoTriage, ({ auth, params }) => undoTriage(orm, bus, auth, findingOf(params)));
  mount(router, deps, triageRoutes.triageHistory, ({ auth, params }) => triageHistory(orm, auth, findingOf(params)));
  return router;
}
