import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

export const Project = defineEntity({
  name: 'Project',
  tableName: 'projects',
  comment: 'A codebase the team works on, optionally linked to a GitHub repository.',
  ...tenantRls('projects', ['select', 'insert', 'update', 'delete']),
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    name: p.string().length(200),
    description: p.text().default(''),
    githubOwner: p.string().length(100).nullable(),
    githubRepo: p.string().length(100).nullable(),
    githubBranch: p.string().length(255).nullable(),
    /** Subfolder to scan; '' means the repository root (shown as "/"). */
    scanPath: p.string().length(500).default(''),
    settings: p.json<Record<string, unknown>>().default('{}'),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IProject = InferEntity<typeof Project>;
