import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { SPECIALIZATION_CATEGORIES, PersonaIdParams, MAX_PORTRAIT_BYTES, personaRoutes } from '#protocol/personas.ts';
import { generatePortraitSvg, PORTRAIT_HEADERS } from './portrait.ts';
import { CATEGORY_KEYWORDS } from './specializations.ts';
import { createPersona, deletePersona, duplicatePersona, getPersonaRow, listPersonas, setPortrait, toPersonaDto, updatePersona } from './service.ts';

function sendImage(ctx: NyxContext, mediaType: string, body: string | Buffer): Buffer {
  ctx.set(PORTRAIT_HEADERS);
  ctx.type = mediaType;
  return Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
}

export function personasRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const idOf = (params: Record<string, string>) => parseWith(PersonaIdParams, params, 'id').id;
  // base64 of the largest portrait plus the JSON around it
  const uploadDeps: MountDeps = { ...deps, bodyLimitBytes: Math.max(deps.bodyLimitBytes, Math.ceil(MAX_PORTRAIT_BYTES * 1.4) + 4096) };

  mount(router, deps, personaRoutes.list, async ({ auth, query }) => ({ items: await listPersonas(services, auth, query) }));
  // Before `get`, whose :id would otherwise take the word "categories".
  mount(router, deps, personaRoutes.categories, async () => ({
    items: SPECIALIZATION_CATEGORIES.map((category) => ({ ...category, keywords: [...CATEGORY_KEYWORDS[category.id]] })),
  }));
  mount(router, deps, personaRoutes.get, async ({ auth, params }) => toPersonaDto(await getPersonaRow(services, auth, idOf(params))));
  mount(router, deps, personaRoutes.create, ({ auth, body }) => createPersona(services, auth, body));
  mount(router, deps, personaRoutes.update, ({ auth, params, body }) => updatePersona(services, auth, idOf(params), body));
  mount(router, deps, personaRoutes.remove, ({ auth, params }) => deletePersona(services, auth, idOf(params)));
  mount(router, deps, personaRoutes.duplicate, ({ auth, params }) => duplicatePersona(services, auth, idOf(params)));
  mount(router, deps, personaRoutes.portraitSvg, async ({ auth, params, ctx }) => {
    const row = await getPersonaRow(services, auth, idOf(params));
    return sendImage(ctx, 'image/svg+xml', generatePortraitSvg(row.name));
  });
  mount(router, deps, personaRoutes.portrait, async ({ auth, params, ctx }) => {
    const row = await getPersonaRow(services, auth, idOf(params));
    if (row.portraitType && row.portraitData) return sendImage(ctx, row.portraitType, Buffer.from(row.portraitData));
    return sendImage(ctx, 'image/svg+xml', generatePortraitSvg(row.name));
  });
  mount(router, uploadDeps, personaRoutes.uploadPortrait, ({ auth, params, body }) => setPortrait(services, auth, idOf(params), body));
  mount(router, deps, personaRoutes.removePortrait, ({ auth, params }) => setPortrait(services, auth, idOf(params), null));
  return router;
}
