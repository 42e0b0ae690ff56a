import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { canonicalJson } from '#server/modules/runs/engine/input-hash.ts';
import { ConflictError, ValidationError } from '#server/errors.ts';
import { WORKFLOW_CHANGED_EVENT, type Workflow as WorkflowDto, type WorkflowDefinition, type WorkflowStep, type WorkflowSync, type WorkflowVersion } from '#protocol/workflows.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { tenantCatalog } from '#server/modules/ai/models-service.ts';
import { findPersonaByRef } from '#server/modules/personas/store.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { ensureBuiltInWorkflows } from './store.ts';
import { WorkflowRow, WorkflowVersionRow, type IWorkflow, type IWorkflowVersion } from './workflow.entity.ts';

type Services = Pick<AppServices, 'orm' | 'runs'>;
type Definition = { name: string; description: string; steps: WorkflowStep[] };

export function toWorkflowDto(row: IWorkflow, version: IWorkflowVersion): WorkflowDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.currentVersion,
    steps: version.steps,
    builtIn: Boolean(row.builtInKey),
    builtInKey: row.builtInKey ?? null,
    source: row.source,
    createdBy: row.createdBy ?? null,
    updatedBy: row.updatedBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toVersionDto(row: IWorkflowVersion): WorkflowVersion {
  return { workflowId: row.workflowId, version: row.version, name: row.name, description: row.description, steps: row.steps, createdBy: row.createdBy ?? null, createdAt: row.createdAt.toISOString() };
}

function publish(services: Services, tenantId: string, workflowId: string, change: 'created' | 'updated' | 'deleted'): void {
  services.runs.bus.publish({ type: 'tenant.notice', tenantId, event: WORKFLOW_CHANGED_EVENT, data: { workflowId, change } });
}

/** Step models must be in the tenant's catalog; checked before any transaction of ours. `prefix` locates the field (`workflows.x.`). */
async function checkModels(services: Services, auth: Authenticated, steps: readonly WorkflowStep[], prefix: string): Promise<void> {
  if (!steps.some((step) => step.model)) return;
  const catalog = await tenantCatalog(services.orm, auth);
  steps.forEach((step, index) => {
    if (step.model && !catalog.get(step.model)) {
      throw new ValidationError(`${prefix}steps.${index}.model: step ${index + 1} "${step.name}": "${step.model}" is not in this tenant's model catalog`, `${prefix}steps.${index}.model`);
    }
  });
}

/** Every step's persona must exist in the tenant (by id or built-in key). */
async function checkPersonas(em: EntityManager, tenantId: string, steps: readonly WorkflowStep[], prefix: string): Promise<void> {
  for (const [index, step] of steps.entries()) {
    if (!(await findPersonaByRef(em, tenantId, step.persona))) {
      throw new ValidationError(`${prefix}steps.${index}.persona: step ${index + 1} "${step.name}": no persona "${step.persona}" in this tenant (use a persona id or a built-in key such as "security-auditor")`, `${prefix}steps.${index}.persona`);
    }
  }
}

async function currentVersion(em: EntityManager, row: IWorkflow): Promise<IWorkflowVersion> {
  return em.findOneOrFail(WorkflowVersionRow, { workflowId: row.id, version: row.currentVersion });
}

export async function listWorkflows(services: Services, auth: Authenticated): Promise<WorkflowDto[]> {
  return withTenant(services.orm, auth, async (em) => {
    await ensureBuiltInWorkflows(em, auth.tenantId);
    const rows = await em.find(WorkflowRow, {}, { orderBy: { name: 'asc', id: 'asc' } });
    const versions = await em.find(WorkflowVersionRow, { $or: rows.map((row) => ({ workflowId: row.id, version: row.currentVersion })) });
    const byWorkflow = new Map(versions.map((version) => [version.workflowId, version]));
    return rows.flatMap((row) => (byWorkflow.has(row.id) ? [toWorkflowDto(row, byWorkflow.get(row.id)!)] : []));
  });
}

export async function getWorkflow(services: Services, auth: Authenticated, id: string): Promise<WorkflowDto> {
  const dto = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(WorkflowRow, { id });
    return row ? toWorkflowDto(row, await currentVersion(em, row)) : null;
  });
  if (dto) return dto;
  await requireFound(services.orm, auth, WorkflowRow, 'workflow', id, null);
  throw new Error('unreachable');
}

async function insertWorkflow(em: EntityManager, auth: Authenticated, definition: Definition, source: 'api' | 'workspace', prefix: string): Promise<WorkflowDto> {
  if (await em.findOne(WorkflowRow, { name: definition.name })) {
    throw new ConflictError(`${prefix}name: a workflow called "${definition.name}" already exists; save a new version of it with PUT /api/v1/workflows/:id`, `${prefix}name`);
  }
  const row = em.create(WorkflowRow, { tenantId: auth.tenantId, name: definition.name, description: definition.description, currentVersion: 1, builtInKey: null, source, createdBy: auth.userId, updatedBy: auth.userId });
  const version = em.create(WorkflowVersionRow, { tenantId: auth.tenantId, workflowId: row.id, version: 1, name: definition.name, description: definition.description, steps: definition.steps, createdBy: auth.userId });
  recordAudit(em, auth, 'workflow.create', 'workflow', row.id, { name: row.name, source });
  await em.flush();
  return toWorkflowDto(row, version);
}

async function addVersion(em: EntityManager, auth: Authenticated, row: IWorkflow, definition: Definition, source: 'api' | 'workspace'): Promise<WorkflowDto> {
  if (row.builtInKey) throw new ConflictError(`"${row.name}" is a built-in workflow and read-only: create your own from its steps (GET /api/v1/workflows/${row.id})`, 'id');
  if (definition.name !== row.name && (await em.findOne(WorkflowRow, { name: definition.name, id: { $ne: row.id } }))) {
    throw new ConflictError(`name: a workflow called "${definition.name}" already exists`, 'name');
  }
  row.currentVersion += 1;
  row.name = definition.name;
  row.description = definition.description;
  row.source = source;
  row.updatedBy = auth.userId;
  const version = em.create(WorkflowVersionRow, { tenantId: auth.tenantId, workflowId: row.id, version: row.currentVersion, name: definition.name, description: definition.description, steps: definition.steps, createdBy: auth.userId });
  recordAudit(em, auth, 'workflow.version', 'workflow', row.id, { version: row.currentVersion, source });
  await em.flush();
  return toWorkflowDto(row, version);
}

export async function createWorkflow(services: Services, auth: Authenticated, definition: WorkflowDefinition): Promise<WorkflowDto> {
  await checkModels(services, auth, definition.steps, '');
  const dto = await withTenant(services.orm, auth, async (em) => {
    await checkPersonas(em, auth.tenantId, definition.steps, '');
    return insertWorkflow(em, auth, definition, 'api', '');
  });
  publish(services, auth.tenantId, dto.id, 'created');
  return dto;
}

export async function updateWorkflow(services: Services, auth: Authenticated, id: string, definition: WorkflowDefinition): Promise<WorkflowDto> {
  await checkModels(services, auth, definition.steps, '');
  const dto = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(WorkflowRow, { id });
    if (!row) return null;
    await checkPersonas(em, auth.tenantId, definition.steps, '');
    return addVersion(em, auth, row, definition, 'api');
  });
  if (!dto) {
    await requireFound(services.orm, auth, WorkflowRow, 'workflow', id, null);
    throw new Error('unreachable');
  }
  publish(services, auth.tenantId, id, 'updated');
  return dto;
}

export async function deleteWorkflow(services: Services, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(WorkflowRow, { id });
    if (!row) return false;
    if (row.builtInKey) throw new ConflictError(`"${row.name}" is a built-in workflow and cannot be deleted`, 'id');
    // Versions go too; runs keep their input (workflow id and version) and their step outputs.
    await em.nativeDelete(WorkflowVersionRow, { workflowId: id });
    em.remove(row);
    recordAudit(em, auth, 'workflow.delete', 'workflow', id, { name: row.name });
    await em.flush();
    return true;
  });
  if (!deleted) await requireFound(services.orm, auth, WorkflowRow, 'workflow', id, null);
  publish(services, auth.tenantId, id, 'deleted');
}

export async function listVersions(services: Services, auth: Authenticated, id: string) {
  await getWorkflow(services, auth, id);
  return withTenant(services.orm, auth, async (em) => {
    const rows = await em.find(WorkflowVersionRow, { workflowId: id }, { orderBy: { version: 'desc' } });
    return rows.map((row) => {
      const { steps: _steps, ...rest } = toVersionDto(row);
      return rest;
    });
  });
}

export async function getVersion(services: Services, auth: Authenticated, id: string, version: number): Promise<WorkflowVersion> {
  await getWorkflow(services, auth, id);
  const row = await withTenant(services.orm, auth, (em) => em.findOne(WorkflowVersionRow, { workflowId: id, version }));
  if (!row) throw new ValidationError(`version: workflow ${id} has no version ${version}`, 'version');
  return toVersionDto(row);
}

/** Compared canonically: jsonb does not keep the key order the steps were written in. */
const sameDefinition = (a: Definition, b: IWorkflowVersion) =>
  a.name === b.name && a.description === b.description && canonicalJson(a.steps) === canonicalJson(b.steps);

/**
 * The workspace's `.nyx/workflows/*.yaml` documents: new names are created, changed ones get a
 * new version, identical ones are left alone. Workflows missing from the workspace are kept
 * (another teammate's checkout may not have them). All or nothing: one bad document is a 400
 * naming it (`workflows.<name>.steps.2.persona`) and nothing is saved.
 */
export async function syncWorkflows(services: Services, auth: Authenticated, body: z.output<typeof WorkflowSync>) {
  const entries = Object.entries(body.workflows).map(([key, doc]) => ({ key, definition: { name: doc.name ?? key, description: doc.description ?? '', steps: doc.steps } }));
  for (const { key, definition } of entries) await checkModels(services, auth, definition.steps, `workflows.${key}.`);
  const results = await withTenant(services.orm, auth, async (em) => {
    await ensureBuiltInWorkflows(em, auth.tenantId);
    const items: { name: string; id: string; version: number; status: 'created' | 'updated' | 'unchanged' }[] = [];
    for (const { key, definition } of entries) {
      await checkPersonas(em, auth.tenantId, definition.steps, `workflows.${key}.`);
      const row = await em.findOne(WorkflowRow, { name: definition.name });
      if (!row) {
        const created = await insertWorkflow(em, auth, definition, 'workspace', `workflows.${key}.`);
        items.push({ name: definition.name, id: created.id, version: 1, status: 'created' });
      } else if (row.builtInKey) {
        throw new ConflictError(`workflows.${key}.name: "${definition.name}" is the name of a built-in workflow; give the workspace workflow another name`, `workflows.${key}.name`);
      } else if (sameDefinition(definition, await currentVersion(em, row))) {
        items.push({ name: definition.name, id: row.id, version: row.currentVersion, status: 'unchanged' });
      } else {
        const updated = await addVersion(em, auth, row, definition, 'workspace');
        items.push({ name: definition.name, id: row.id, version: updated.version, status: 'updated' });
      }
    }
    return items;
  });
  for (const item of results) if (item.status !== 'unchanged') publish(services, auth.tenantId, item.id, item.status);
  return { items: results };
}
