import Router from '@koa/router';
import { aiRoutes, ModelIdParamsSchema, ProviderParamsSchema } from '#protocol/ai.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { getBudget, putBudget } from './budget-service.ts';
import { testProviderConnection } from './connection-test.ts';
import type { GatewayServices } from './gateway.ts';
import { addModel, listModels, removeModel } from './models-service.ts';
import { deleteProvider, listProviders, putProvider } from './provider-service.ts';
import { listRemoteModels } from './remote-models.ts';
import { usageReport } from './usage.ts';

export function aiRouter(services: GatewayServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const providerOf = (params: Record<string, string>) => parseWith(ProviderParamsSchema, params, 'provider').provider;

  mount(router, deps, aiRoutes.listModels, ({ auth }) => listModels(orm, auth));
  mount(router, deps, aiRoutes.addModel, ({ auth, body }) => addModel(orm, auth, body));
  mount(router, deps, aiRoutes.removeModel, ({ auth, params }) => removeModel(orm, auth, parseWith(ModelIdParamsSchema, params, 'id').id));

  mount(router, deps, aiRoutes.listProviders, async ({ auth }) => ({ items: await listProviders(orm, auth) }));
  mount(router, deps, aiRoutes.putProvider, ({ auth, params, body }) => putProvider(services, auth, providerOf(params), body));
  mount(router, deps, aiRoutes.removeProvider, ({ auth, params }) => deleteProvider(services, auth, providerOf(params)));
  mount(router, deps, aiRoutes.testProvider, ({ auth, params, body }) => testProviderConnection(services, auth, providerOf(params), body.model));
  mount(router, deps, aiRoutes.listRemoteModels, ({ auth, params, query }) =>
    listRemoteModels(services, auth, providerOf(params), query.baseUrl),
  );

  mount(router, deps, aiRoutes.usage, ({ auth, query }) => usageReport(orm, auth, query));
  mount(router, deps, aiRoutes.getBudget, ({ auth }) => getBudget(orm, auth));
  mount(router, deps, aiRoutes.putBudget, ({ auth, body }) => putBudget(orm, auth, body));
  return router;
}
