import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { BUILT_IN_WORKFLOWS } from './builtins.ts';
import { WorkflowRow, WorkflowVersionRow } from './workflow.entity.ts';

/**
 * Seeds the built-in templates into the caller's tenant: a workflow row and its version 1 for
 * each key not there yet. `on conflict do nothing` covers two first requests at once, and a
 * team workflow that already took the name (the template is then skipped for that tenant).
 */
export async function ensureBuiltInWorkflows(em: EntityManager, tenantId: string): Promise<void> {
  const present = await em.execute<{ built_in_key: string }[]>(`select built_in_key from workflows where built_in_key is not null`);
  const have = new Set(present.map((row) => row.built_in_key));
  for (const template of BUILT_IN_WORKFLOWS.filter((t) => !have.has(t.key))) {
    const inserted = await em.execute<{ id: string }[]>(
      `insert into workflows (id, tenant_id, name, description, current_version, built_in_key, source, created_at, updated_at)
       values (?, ?, ?, ?, 1, ?, 'builtin', now(), now()) on conflict do nothing returning id`,
      [randomUUID(), tenantId, template.name, template.description, template.key],
    );
    if (!inserted.length) continue;
    await em.execute(
      `insert into workflow_versions (id, tenant_id, workflow_id, version, name, description, steps, created_at) values (?, ?, ?, 1, ?, ?, ?::jsonb, now())`,
      [randomUUID(), tenantId, inserted[0]!.id, template.name, template.description, JSON.stringify(template.steps)],
    );
  }
}

export async function builtInWorkflowId(orm: Orm, scope: TenantScope, key: string): Promise<string> {
  return withTenant(orm, scope, async (em) => {
    await ensureBuiltInWorkflows(em, scope.tenantId);
    const row = await em.findOneOrFail(WorkflowRow, { builtInKey: key });
    return row.id;
  });
}

export function findVersion(em: EntityManager, workflowId: string, version: number) {
  return em.findOne(WorkflowVersionRow, { workflowId, version });
}
