import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { NoteIdParams, noteRoutes } from '#protocol/notes.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { startNoteEnrichment } from './enrichment-run.ts';
import { createNote, deleteNote, getNote, listNotes, updateNote } from './service.ts';

export function notesRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  const idOf = (params: Record<string, string>) => parseWith(NoteIdParams, params, 'id').id;

  mount(router, deps, noteRoutes.list, async ({ auth, params, query }) => ({ items: await listNotes(orm, auth, projectOf(params), query) }));
  mount(router, deps, noteRoutes.create, ({ auth, params, body }) => createNote(services, auth, projectOf(params), body));
  mount(router, deps, noteRoutes.get, ({ auth, params }) => getNote(orm, auth, idOf(params)));
  mount(router, deps, noteRoutes.update, ({ auth, params, body }) => updateNote(services, auth, idOf(params), body));
  mount(router, deps, noteRoutes.remove, ({ auth, params }) => deleteNote(orm, auth, idOf(params)));
  mount(router, deps, noteRoutes.enrich, async ({ auth, params, ctx }) => {
    const run = await startNoteEnrichment(services, auth, idOf(params));
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  return router;
}
