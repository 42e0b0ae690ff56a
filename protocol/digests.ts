import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { RunCreated } from './runs.ts';

export const DigestStatus = z.enum(['draft', 'published']);
export type DigestStatus = z.infer<typeof DigestStatus>;

/** The machine-readable side of a digest; every list holds short sentences. */
export const DigestSummary = z.object({
  thingsDone: z.array(z.string()),
  pains: z.array(z.string()),
  successes: z.array(z.string()),
  techStack: z.array(z.string()),
});
export type DigestSummary = z.infer<typeof DigestSummary>;

export const Digest = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  runId: z.uuid(),
  /** The report of kind `digest` holding the same post: export it with /api/v1/reports/:id/export.{md,pdf}. */
  reportId: z.uuid(),
  periodStart: z.string(),
  periodEnd: z.string(),
  title: z.string(),
  markdown: z.string(),
  summary: DigestSummary,
  status: DigestStatus,
  /** "provider/model" that wrote it, null for the deterministic template. */
  model: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
});
export type Digest = z.infer<typeof Digest>;

const IsoDateTime = z.iso.datetime({ offset: true });

/** Both ends are instants; the default period is the 7 days before now. */
export const DigestStart = z
  .strictObject({ periodStart: IsoDateTime.optional(), periodEnd: IsoDateTime.optional() })
  .refine((d) => !d.periodStart || !d.periodEnd || Date.parse(d.periodStart) < Date.parse(d.periodEnd), { message: 'must be before periodEnd', path: ['periodStart'] });
export type DigestStart = z.input<typeof DigestStart>;

export const DigestUpdate = z.strictObject({ status: DigestStatus });

export const DigestListQuery = z.strictObject({
  status: DigestStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const DigestList = z.object({ items: z.array(Digest) });
export const DigestIdParams = z.object({ id: z.uuid() });

/** Input of a `digest` run (resolved period, so the dedup guard compares equal periods). */
export const DigestRunInput = z.strictObject({ periodStart: IsoDateTime, periodEnd: IsoDateTime });
export const DIGEST_RUN_KIND = 'digest';

export const digestRoutes = {
  list: route({ method: 'get', path: '/api/v1/projects/:id/digests', params: ProjectIdParams, summary: 'List a project\'s digests, newest period first', auth: true, query: DigestListQuery, response: DigestList }),
  start: route({ method: 'post', path: '/api/v1/projects/:id/digests', params: ProjectIdParams, alsoStatus: [200], summary: 'Start a digest run for a period (default: the last 7 days)', auth: true, body: DigestStart, response: RunCreated, status: 201 }),
  get: route({ method: 'get', path: '/api/v1/digests/:id', params: DigestIdParams, summary: 'Get a digest', auth: true, response: Digest }),
  update: route({ method: 'patch', path: '/api/v1/digests/:id', params: DigestIdParams, summary: 'Publish a digest or turn it back into a draft', auth: true, body: DigestUpdate, response: Digest }),
  remove: route({ method: 'delete', path: '/api/v1/digests/:id', params: DigestIdParams, summary: 'Delete a digest (its report stays)', auth: true, status: 204 }),
};
