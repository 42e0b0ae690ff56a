import Koa from 'koa';
import Router from '@koa/router';
import type { NyxConfig } from './config.ts';
import type { Orm } from './db/orm.ts';
import type { Logger } from './logger.ts';
import type { NyxState } from './http/context.ts';
import { requestMiddleware } from './http/error-middleware.ts';
import type { MountDeps } from './http/mount.ts';
import { buildOpenApi, type ContractGroups } from './http/openapi.ts';
import { NotFoundError } from './errors.ts';
import { Authenticator } from './modules/tenancy/authenticator.ts';
import { tenancyRouter } from './modules/tenancy/routes.ts';
import { projectsRouter } from './modules/projects/routes.ts';
import { healthRouter } from './modules/health/routes.ts';
import { aiRouter } from './modules/ai/routes.ts';
import type { SecretBox } from './ai/secret-box.ts';
import { runsRouter } from './modules/runs/routes.ts';
import type { RunRuntime } from './runs/runtime.ts';
import type { RouteContract } from '../../protocol/routes.ts';
import { healthRoutes } from '../../protocol/health.ts';
import { projectRoutes } from '../../protocol/projects.ts';
import { tokenRoutes } from '../../protocol/tokens.ts';
import { aiRoutes } from '../../protocol/ai.ts';
import { runRoutes } from '../../protocol/runs.ts';
import { analysisRouter } from './modules/analysis/routes.ts';
import { analysisRoutes } from '../../protocol/analysis.ts';
import { githubRouter } from './modules/github/routes.ts';
import { githubRoutes } from '../../protocol/github.ts';
import { autofixRouter } from './modules/autofix/routes.ts';
import { autofixRoutes } from '../../protocol/autofix.ts';
import { reportsRouter } from './modules/reports/routes.ts';
import { reportRoutes } from '../../protocol/reports.ts';
import { notesRouter } from './modules/notes/routes.ts';
import { noteRoutes } from '../../protocol/notes.ts';
import { memoryRouter } from './modules/memory/routes.ts';
import { memoryRoutes } from '../../protocol/memory.ts';
import { digestsRouter } from './modules/digests/routes.ts';
import { digestRoutes } from '../../protocol/digests.ts';
import type { PdfRenderer } from './modules/reports/pdf-renderer.ts';
import { personasRouter } from './modules/personas/routes.ts';
import { personaRoutes } from '../../protocol/personas.ts';
import { discussionsRouter } from './modules/discussions/routes.ts';
import { discussionRoutes } from '../../protocol/discussions.ts';
import { workflowsRouter } from './modules/workflows/routes.ts';
import { workflowRoutes } from '../../protocol/workflows.ts';

export interface AppServices {
  config: NyxConfig;
  orm: Orm;
  log: Logger;
  version: string;
  embedded: boolean;
  startedAt: number;
  /** Encrypts provider keys at rest (NYX_SECRET_KEY or $NYX_HOME/secret.key). */
  secretBox: SecretBox;
  /** Runs and live events; features add run kinds with `runs.registry.registerRunHandler`. */
  runs: RunRuntime;
  /** The warm Chromium behind PDF exports (lazily started, closed on shutdown). */
  pdf: PdfRenderer;
}

/** Every contract the server implements, by feature; the OpenAPI document lists exactly these. */
export const contractGroups: ContractGroups = {
  health: healthRoutes,
  tokens: tokenRoutes,
  projects: projectRoutes,
  ai: aiRoutes,
  runs: runRoutes,
  analysis: analysisRoutes,
  github: githubRoutes,
  autofix: autofixRoutes,
  reports: reportRoutes,
  notes: noteRoutes,
  memory: memoryRoutes,
  digests: digestRoutes,
  personas: personaRoutes,
  discussions: discussionRoutes,
  workflows: workflowRoutes,
};

export const allContracts: RouteContract[] = Object.values(contractGroups).flatMap((group) => Object.values(group));

export function createApp(services: AppServices): { app: Koa<NyxState>; authenticator: Authenticator } {
  const app = new Koa<NyxState>();
  app.proxy = false;
  const authenticator = new Authenticator(services.orm, services.runs.bus, services.config.authCacheMs);
  const deps: MountDeps = { authenticator, bodyLimitBytes: services.config.bodyLimitBytes };

  app.use(requestMiddleware(services.log));
  const routers = [
    healthRouter(services.orm, deps, services),
    tenancyRouter(services.orm, deps),
    projectsRouter(services.orm, deps),
    aiRouter(services, deps),
    runsRouter(services.orm, deps, services.runs, services.config.sseKeepAliveMs),
    analysisRouter(services, deps),
    githubRouter(services, deps),
    autofixRouter(services, deps),
    reportsRouter(services, deps),
    notesRouter(services, deps),
    memoryRouter(services, deps),
    digestsRouter(services, deps),
    personasRouter(services, deps),
    discussionsRouter(services, deps),
    workflowsRouter(services, deps),
  ];
  const openapi = new Router<NyxState>();
  const document = buildOpenApi(contractGroups, services.version, services.config.publicUrl);
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
