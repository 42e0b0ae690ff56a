import Router from '@koa/router';
import { projectRoutes } from '#protocol/projects.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import type { Orm } from '#server/db/orm.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { createProject, deleteProject, getProject, listProjects, updateProject } from './service.ts';

export function projectsRouter(orm: Orm, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const idOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  mount(router, deps, projectRoutes.list, async ({ auth }) => ({ items: await listProjects(orm, auth) }));
  mount(router, deps, projectRoutes.get, ({ auth, params }) => getProject(orm, auth, idOf(params)));
  mount(router, deps, projectRoutes.create, ({ auth, body }) => createProject(orm, auth, body));
  mount(router, deps, projectRoutes.update, ({ auth, params, body }) => updateProject(orm, auth, idOf(params), body));
  mount(router, deps, projectRoutes.remove, ({ auth, params }) => deleteProject(orm, auth, idOf(params)));
  return router;
}
