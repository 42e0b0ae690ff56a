import { z } from 'zod';
import { route } from './routes.ts';

const GITHUB_NAME = /^[A-Za-z0-9_.-]+$/;

/** A subfolder of the repository; '' or '/' mean its root. No '..', no backslashes, no absolute drive paths. */
export const ScanPath = z
  .string()
  .max(500)
  .refine((path) => !path.includes('\\') && !path.split('/').includes('..'), 'must be a folder inside the repository, without ".." or backslashes')
  .transform((path) => path.replace(/^\/+|\/+$/g, ''));

export const GithubLink = z.strictObject({
  owner: z.string().min(1).max(100).regex(GITHUB_NAME, 'letters, digits, ".", "-" and "_" only'),
  repo: z.string().min(1).max(100).regex(GITHUB_NAME, 'letters, digits, ".", "-" and "_" only'),
  branch: z.string().min(1).max(255).optional(),
});

const Settings = z
  .record(z.string().max(100), z.unknown())
  .refine((settings) => JSON.stringify(settings).length <= 64 * 1024, 'must serialise to at most 64 KiB');

export const ProjectCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  github: GithubLink.nullable().optional(),
  scanPath: ScanPath.default(''),
  settings: Settings.default({}),
});
export type ProjectCreate = z.input<typeof ProjectCreate>;

export const ProjectUpdate = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(10_000).optional(),
  github: GithubLink.nullable().optional(),
  scanPath: ScanPath.optional(),
  settings: Settings.optional(),
});
export type ProjectUpdate = z.input<typeof ProjectUpdate>;

export const Project = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  github: z.object({ owner: z.string(), repo: z.string(), branch: z.string().nullable() }).nullable(),
  /** Always starts with '/'; '/' is the repository root. */
  scanPath: z.string(),
  settings: z.record(z.string(), z.unknown()),
  createdBy: z.uuid().nullable(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof Project>;

export const ProjectList = z.object({ items: z.array(Project) });
export const ProjectIdParams = z.object({ id: z.uuid() });

export const projectRoutes = {
  list: route({ method: 'get', path: '/api/v1/projects', summary: 'List the tenant\'s projects', auth: true, response: ProjectList }),
  get: route({ method: 'get', path: '/api/v1/projects/:id', params: ProjectIdParams, summary: 'Get a project', auth: true, response: Project }),
  create: route({ method: 'post', path: '/api/v1/projects', summary: 'Create a project', auth: true, body: ProjectCreate, response: Project, status: 201 }),
  update: route({ method: 'patch', path: '/api/v1/projects/:id', params: ProjectIdParams, summary: 'Update a project', auth: true, body: ProjectUpdate, response: Project }),
  remove: route({ method: 'delete', path: '/api/v1/projects/:id', params: ProjectIdParams, summary: 'Delete a project', auth: true, status: 204 }),
};
