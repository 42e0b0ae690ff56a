import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { selectAsTenant } from '#server/db/tenant-read.ts';
import type { z } from 'zod';
import type { Project as ProjectDto, ProjectCreate as CreateSchema, ProjectUpdate as UpdateSchema } from '#protocol/projects.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { Project, type IProject } from './project.entity.ts';


export function toProjectDto(row: IProject): ProjectDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    github: row.githubOwner && row.githubRepo ? { owner: row.githubOwner, repo: row.githubRepo, branch: row.githubBranch ?? null } : null,
    scanPath: `/${row.scanPath}`,
    settings: row.settings,
    createdBy: row.createdBy ?? null,
    updatedBy: row.updatedBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listProjects(orm: Orm, auth: Authenticated): Promise<ProjectDto[]> {
  const rows = await selectAsTenant(orm, auth, Project, {}, { orderBy: { name: 'asc', id: 'asc' } });
  return rows.map(toProjectDto);
}

export async function getProject(orm: Orm, auth: Authenticated, id: string): Promise<ProjectDto> {
  const [row] = await selectAsTenant(orm, auth, Project, { id });
  return toProjectDto(await requireFound(orm, auth, Project, 'project', id, row ?? null));
}

export async function createProject(orm: Orm, auth: Authenticated, input: z.output<typeof CreateSchema>): Promise<ProjectDto> {
  return withTenant(orm, auth, async (em) => {
    const row = em.create(Project, {
      tenantId: auth.tenantId,
      name: input.name,
      description: input.description,
      githubOwner: input.github?.owner ?? null,
      githubRepo: input.github?.repo ?? null,
      githubBranch: input.github?.branch ?? null,
      scanPath: input.scanPath,
      settings: input.settings,
      createdBy: auth.userId,
      updatedBy: auth.userId,
    });
    recordAudit(em, auth, 'project.create', 'project', row.id, { name: row.name });
    await em.flush();
    return toProjectDto(row);
  });
}

export async function updateProject(orm: Orm, auth: Authenticated, id: string, input: z.output<typeof UpdateSchema>): Promise<ProjectDto> {
  const updated = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(Project, { id });
    if (!row) return null;
    if (input.name !== undefined) row.name = input.name;
    if (input.description !== undefined) row.description = input.description;
    if (input.scanPath !== undefined) row.scanPath = input.scanPath;
    if (input.settings !== undefined) row.settings = input.settings;
    if (input.github !== undefined) {
      row.githubOwner = input.github?.owner ?? null;
      row.githubRepo = input.github?.repo ?? null;
      row.githubBranch = input.github?.branch ?? null;
    }
    row.updatedBy = auth.userId;
    recordAudit(em, auth, 'project.update', 'project', row.id, { fields: Object.keys(input) });
    await em.flush();
    return toProjectDto(row);
  });
  if (updated) return updated;
  return toProjectDto(await requireFound(orm, auth, Project, 'project', id, null));
}

export async function deleteProject(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    const count = await em.nativeDelete(Project, { id });
    if (count > 0) recordAudit(em, auth, 'project.delete', 'project', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, Project, 'project', id, null);
}
