import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID_PATTERN } from './ids.ts';
import { BUILT_IN_PERSONAS } from './builtins.ts';
import { PersonaRow, type IPersona } from './persona.entity.ts';

/**
 * Seeds the built-in library into the caller's tenant (RLS decides which tenant): only the
 * missing keys are inserted, and `on conflict do nothing` makes two first requests at once
 * harmless. Runs inside the caller's tenant transaction.
 */
export async function ensureBuiltInPersonas(em: EntityManager, tenantId: string): Promise<void> {
  const present = await em.execute<{ built_in_key: string }[]>(`select built_in_key from personas where built_in_key is not null`);
  const have = new Set(present.map((row) => row.built_in_key));
  const missing = BUILT_IN_PERSONAS.filter((persona) => !have.has(persona.key));
  for (const persona of missing) {
    await em.execute(
      `insert into personas (id, tenant_id, name, role, description, traits, specializations, specializations_source, level, system_prompt, built_in_key, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, 'explicit', ?, ?, ?, now(), now())
       on conflict (tenant_id, built_in_key) do nothing`,
      [randomUUID(), tenantId, persona.name, persona.role, persona.description, JSON.stringify(persona.traits), JSON.stringify(persona.specializations), persona.level, persona.systemPrompt, persona.key],
    );
  }
}

/**
 * A persona named by a workflow step or a discussion: its id, or a built-in key such as
 * `security-auditor`. Null when the tenant has no such persona.
 */
export async function findPersonaByRef(em: EntityManager, tenantId: string, ref: string): Promise<IPersona | null> {
  if (UUID_PATTERN.test(ref)) return em.findOne(PersonaRow, { id: ref });
  await ensureBuiltInPersonas(em, tenantId);
  return em.findOne(PersonaRow, { builtInKey: ref });
}

/** The personas with these ids, in the order given; ids the tenant cannot see are left out. */
export async function personasInOrder(em: EntityManager, ids: readonly string[]): Promise<IPersona[]> {
  const rows = await em.find(PersonaRow, { id: { $in: [...ids] } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
