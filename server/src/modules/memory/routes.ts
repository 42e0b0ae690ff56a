import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { MemoryIdParams, memoryRoutes } from '#protocol/memory.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { CONSOLIDATION_THRESHOLD, consolidationPatterns } from './consolidation.ts';
import { searchMemory } from './search.ts';
import { createMemory, deleteMemory, getMemory, listMemory } from './service.ts';

export function memoryRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  const idOf = (params: Record<string, string>) => parseWith(MemoryIdParams, params, 'id').id;

  mount(router, deps, memoryRoutes.list, async ({ auth, params, query }) => ({ items: await listMemory(orm, auth, projectOf(params), query) }));
  mount(router, deps, memoryRoutes.create, ({ auth, params, body }) => createMemory(services, auth, projectOf(params), body));
  mount(router, deps, memoryRoutes.search, ({ auth, params, query }) => searchMemory(services, auth, projectOf(params), query.q, query.limit));
  mount(router, deps, memoryRoutes.consolidation, async ({ auth, params }) => {
    const projectId = projectOf(params);
    await requireProject(orm, auth, projectId);
    const clusters = await withTenant(orm, auth, (em) => consolidationPatterns(em, projectId));
    return { items: clusters.map(({ embedder: _e, centroid: _c, ...pattern }) => pattern), threshold: CONSOLIDATION_THRESHOLD };
  });
  mount(router, deps, memoryRoutes.get, ({ auth, params }) => getMemory(orm, auth, idOf(params)));
  mount(router, deps, memoryRoutes.remove, ({ auth, params }) => deleteMemory(orm, auth, idOf(params)));
  return router;
}
