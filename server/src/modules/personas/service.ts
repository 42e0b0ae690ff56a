import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, ValidationError } from '#server/errors.ts';
import {
  PERSONA_CHANGED_EVENT,
  type Persona as PersonaDto,
  type PersonaChangedData,
  type PersonaCreate,
  type PersonaListQuery,
  type PersonaUpdate,
  type PortraitUpload,
} from '#protocol/personas.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { tenantCatalog } from '#server/modules/ai/models-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { PersonaRow, type IPersona } from './persona.entity.ts';
import { checkPortraitUpload, decodeBase64 } from './portrait.ts';
import { resolveSpecializations } from './specializations.ts';
import { ensureBuiltInPersonas } from './store.ts';

type PersonaServices = Pick<AppServices, 'orm' | 'runs'>;

export function toPersonaDto(row: IPersona): PersonaDto {
  const uploaded = Boolean(row.portraitType && row.portraitData);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    description: row.description,
    traits: row.traits,
    specializations: row.specializations,
    specializationsSource: row.specializationsSource,
    level: row.level,
    systemPrompt: row.systemPrompt,
    defaultModel: row.defaultModel ?? null,
    builtIn: Boolean(row.builtInKey),
    builtInKey: row.builtInKey ?? null,
    portrait: {
      kind: uploaded ? 'uploaded' : 'generated',
      mediaType: uploaded ? row.portraitType! : 'image/svg+xml',
      url: `/api/v1/personas/${row.id}/portrait`,
    },
    createdBy: row.createdBy ?? null,
    updatedBy: row.updatedBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Every editor of the tenant hears about it on GET /api/v1/events (ids only; clients refetch). */
function publishChange(services: PersonaServices, tenantId: string, data: PersonaChangedData): void {
  services.runs.bus.publish({ type: 'tenant.notice', tenantId, event: PERSONA_CHANGED_EVENT, data });
}

/** A default model must be in the tenant's catalog (built-in or its custom models). Checked outside any transaction of ours. */
async function checkModel(services: PersonaServices, auth: Authenticated, model: string | null | undefined): Promise<void> {
  if (model === null || model === undefined) return;
  const catalog = await tenantCatalog(services.orm, auth);
  if (!catalog.get(model)) {
    const known = catalog.models.map((entry) => entry.id).join(', ');
    throw new ValidationError(`defaultModel: "${model}" is not in this tenant's model catalog (known: ${known}); add a custom model with POST /api/v1/models first`, 'defaultModel');
  }
}

function refuseBuiltIn(row: IPersona): void {
  if (row.builtInKey) {
    throw new ConflictError(`"${row.name}" is a built-in persona and read-only: duplicate it (POST /api/v1/personas/${row.id}/duplicate) and edit the copy`, 'id');
  }
}

export async function listPersonas(services: PersonaServices, auth: Authenticated, query: z.output<typeof PersonaListQuery>): Promise<PersonaDto[]> {
  const rows = await withTenant(services.orm, auth, async (em) => {
    await ensureBuiltInPersonas(em, auth.tenantId);
    return em.find(PersonaRow, {}, { orderBy: { name: 'asc', id: 'asc' } });
  });
  const needle = query.q?.toLowerCase();
  return rows
    .filter((row) => query.builtIn === undefined || Boolean(row.builtInKey) === query.builtIn)
    .filter((row) => !query.category || row.specializations.includes(query.category))
    .filter((row) => !needle || [row.name, row.role, row.description, ...row.traits].some((text) => text.toLowerCase().includes(needle)))
    .map(toPersonaDto);
}

export async function getPersonaRow(services: PersonaServices, auth: Authenticated, id: string): Promise<IPersona> {
  const row = await withTenant(services.orm, auth, (em) => em.findOne(PersonaRow, { id }));
  return requireFound(services.orm, auth, PersonaRow, 'persona', id, row);
}

export async function createPersona(services: PersonaServices, auth: Authenticated, input: z.output<typeof PersonaCreate>): Promise<PersonaDto> {
  await checkModel(services, auth, input.defaultModel);
  const specs = resolveSpecializations(input.specializations, input.description);
  const dto = await withTenant(services.orm, auth, async (em) => {
    const row = em.create(PersonaRow, {
      tenantId: auth.tenantId,
      name: input.name,
      role: input.role,
      description: input.description,
      traits: input.traits,
      specializations: specs.specializations,
      specializationsSource: specs.source,
      level: input.level,
      systemPrompt: input.systemPrompt,
      defaultModel: input.defaultModel,
      builtInKey: null,
      portraitType: null,
      portraitData: null,
      createdBy: auth.userId,
      updatedBy: auth.userId,
    });
    recordAudit(em, auth, 'persona.create', 'persona', row.id, { name: row.name });
    await em.flush();
    return toPersonaDto(row);
  });
  publishChange(services, auth.tenantId, { personaId: dto.id, change: 'created' });
  return dto;
}

/** Applies a change to an editable persona in one transaction, then tells the tenant. */
async function changePersona(services: PersonaServices, auth: Authenticated, id: string, action: string, change: (row: IPersona) => void): Promise<PersonaDto> {
  const dto = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(PersonaRow, { id });
    if (!row) return null;
    refuseBuiltIn(row);
    change(row);
    row.updatedBy = auth.userId;
    recordAudit(em, auth, action, 'persona', row.id);
    await em.flush();
    return toPersonaDto(row);
  });
  if (!dto) {
    await requireFound(services.orm, auth, PersonaRow, 'persona', id, null);
    throw new Error('unreachable');
  }
  publishChange(services, auth.tenantId, { personaId: id, change: 'updated' });
  return dto;
}

export async function updatePersona(services: PersonaServices, auth: Authenticated, id: string, input: z.output<typeof PersonaUpdate>): Promise<PersonaDto> {
  await checkModel(services, auth, input.defaultModel);
  return changePersona(services, auth, id, 'persona.update', (row) => {
    if (input.name !== undefined) row.name = input.name;
    if (input.role !== undefined) row.role = input.role;
    if (input.description !== undefined) row.description = input.description;
    if (input.traits !== undefined) row.traits = input.traits;
    if (input.level !== undefined) row.level = input.level;
    if (input.systemPrompt !== undefined) row.systemPrompt = input.systemPrompt;
    if (input.defaultModel !== undefined) row.defaultModel = input.defaultModel;
    // Explicit lists are kept as given; auto ones follow the description until someone sets them.
    const explicit = input.specializations ?? (row.specializationsSource === 'explicit' ? row.specializations : undefined);
    const specs = resolveSpecializations(explicit, row.description);
    row.specializations = specs.specializations;
    row.specializationsSource = specs.source;
  });
}

export async function deletePersona(services: PersonaServices, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(PersonaRow, { id });
    if (!row) return false;
    refuseBuiltIn(row);
    em.remove(row);
    recordAudit(em, auth, 'persona.delete', 'persona', id, { name: row.name });
    await em.flush();
    return true;
  });
  if (!deleted) await requireFound(services.orm, auth, PersonaRow, 'persona', id, null);
  publishChange(services, auth.tenantId, { personaId: id, change: 'deleted' });
}

/** An editable copy (of a built-in or any persona): same fields, "(copy)" in the name, no built-in key. */
export async function duplicatePersona(services: PersonaServices, auth: Authenticated, id: string): Promise<PersonaDto> {
  const source = await getPersonaRow(services, auth, id);
  const dto = await withTenant(services.orm, auth, async (em) => {
    const row = em.create(PersonaRow, {
      tenantId: auth.tenantId,
      name: `${source.name} (copy)`.slice(0, 100),
      role: source.role,
      description: source.description,
      traits: [...source.traits],
      specializations: [...source.specializations],
      specializationsSource: source.specializationsSource,
      level: source.level,
      systemPrompt: source.systemPrompt,
      defaultModel: source.defaultModel ?? null,
      builtInKey: null,
      portraitType: source.portraitType ?? null,
      portraitData: source.portraitData ?? null,
      createdBy: auth.userId,
      updatedBy: auth.userId,
    });
    recordAudit(em, auth, 'persona.duplicate', 'persona', row.id, { from: id });
    await em.flush();
    return toPersonaDto(row);
  });
  publishChange(services, auth.tenantId, { personaId: dto.id, change: 'created' });
  return dto;
}

export async function setPortrait(services: PersonaServices, auth: Authenticated, id: string, upload: z.output<typeof PortraitUpload> | null): Promise<PersonaDto> {
  const bytes = upload ? decodeBase64(upload.dataBase64) : null;
  if (upload && bytes) checkPortraitUpload(upload.mediaType, bytes);
  return changePersona(services, auth, id, upload ? 'persona.portrait.upload' : 'persona.portrait.remove', (row) => {
    row.portraitType = upload?.mediaType ?? null;
    row.portraitData = bytes;
  });
}
