import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { PersonaLevel, PortraitMediaType, SpecializationCategoryId } from '#protocol/personas.ts';

/**
 * A persona of the tenant's AI team. Built-ins carry `builtInKey` (unique per tenant, so seeding
 * twice inserts nothing) and are read-only through the API; teammates duplicate them to edit.
 * An uploaded portrait lives in `portraitData` (checked and size-capped); without one the portrait
 * is generated from the name.
 */
export const PersonaRow = defineEntity({
  name: 'Persona',
  tableName: 'personas',
  comment: 'AI team personas shared by the tenant: built-in library (read-only) and the team\'s own.',
  ...tenantRls('personas', ['select', 'insert', 'update', 'delete']),
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'builtInKey'] }, { properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    name: p.string().length(100),
    role: p.string().length(120),
    description: p.text().default(''),
    traits: p.json<string[]>().default('[]'),
    specializations: p.json<SpecializationCategoryId[]>().default('[]'),
    specializationsSource: p.string().$type<'auto' | 'explicit'>().length(16).default('auto'),
    level: p.string().$type<PersonaLevel>().length(16).default('senior'),
    systemPrompt: p.text().default(''),
    defaultModel: p.string().length(200).nullable(),
    builtInKey: p.string().length(64).nullable(),
    portraitType: p.string().$type<PortraitMediaType>().length(32).nullable(),
    portraitData: p.blob().nullable(),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IPersona = InferEntity<typeof PersonaRow>;
