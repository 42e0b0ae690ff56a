import Koa from 'koa';
import Router from '@koa/router';
import type { NyxState } from './http/context.ts';
import { requestMiddleware } from './http/error-middleware.ts';
import { buildOpenApi } from './http/openapi.ts';
import { NotFoundError } from './errors.ts';
import { Authenticator } from './modules/tenancy/authenticator.ts';
import { metricsFor } from './modules/metrics/registry.ts';
import { assertDistinct, contractGroupsOf, type Feature } from './feature.ts';
import { features as allFeatures } from './features.ts';
import type { AppServices, MountDeps } from './services.ts';


/** The Koa app serving every feature's routes, in feature order, plus the OpenAPI document of their contracts. */
export function createApp(services: AppServices, features: readonly Feature[] = allFeatures): { app: Koa<NyxState>; authenticator: Authenticator } {
  const app = new Koa<NyxState>();
  app.proxy = false;
  const { config } = services;
  const authenticator = new Authenticator(services.orm, services.runs.bus, config.authCacheMs, {
    failureBurst: config.authFailureBurst,
    failurePerMinute: config.authFailurePerMinute,
    tokenRatePerSecond: config.tokenRateLimit,
  });
  const deps: MountDeps = { authenticator, bodyLimitBytes: services.config.bodyLimitBytes };

  // Outermost: it sees the status the error middleware settled on.
  app.use(metricsFor(services.orm).httpMiddleware);
  app.use(requestMiddleware(services.log));
  assertDistinct(features);
  const routers = features.flatMap((feature) => (feature.router ? [feature.router(services, deps)] : []));
  const openapi = new Router<NyxState>();
  const document = buildOpenApi(contractGroupsOf(features), services.version, services.config.publicUrl);
  openapi.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = document;
  });
  routers.push(openapi);
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods({ throw: false }));
  app.use(async (ctx) => {
    if (ctx.status === 404 && ctx.body === undefined) throw new NotFoundError(`route ${ctx.method} ${ctx.path}`);
  });
  app.on('error', (error) => services.log.error({ err: error }, 'unhandled koa error'));
  return { app, authenticator };
}
