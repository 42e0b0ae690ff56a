import { z } from 'zod';
import { route } from './routes.ts';

/** Where a run is in its life. The last three are final: a finished run never changes again. */
export const RunStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isFinalRunStatus(status: RunStatus): boolean {
  return FINAL_RUN_STATUSES.includes(status);
}

/** A run kind names the handler that executes it: lowercase words joined by '.', '-' or '_'. */
export const RunKind = z.string().min(1).max(64).regex(/^[a-z][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "-" and "_", starting with a letter');

const RunInput = z
  .record(z.string().max(200), z.unknown())
  .refine((input) => JSON.stringify(input).length <= 256 * 1024, 'must serialise to at most 256 KiB');

export const RunCreate = z.strictObject({
  kind: RunKind,
  projectId: z.uuid(),
  input: RunInput.default({}),
});
export type RunCreate = z.input<typeof RunCreate>;

export const Run = z.object({
  id: z.uuid(),
  kind: z.string(),
  projectId: z.uuid(),
  status: RunStatus,
  input: z.record(z.string(), z.unknown()),
  /** SHA-256 of the canonical JSON of `input`; the dedup guard compares it. */
  inputHash: z.string(),
  /** 0 to 1, with what the handler last said it was doing. */
  progress: z.number(),
  progressMessage: z.string().nullable(),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
  /** How many times a runner has claimed it (more than 1 after a crash took the previous one down). */
  attempts: z.number().int(),
  /** seq of the last event written; a stream resumed with Last-Event-ID >= this has seen everything. */
  lastSeq: z.number().int(),
  cancelRequested: z.boolean(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

/** The answer to POST /runs: `deduplicated` says an equal run (active or just succeeded) was returned instead of a new one. */
export const RunCreated = Run.extend({ deduplicated: z.boolean() });
export type RunCreated = z.infer<typeof RunCreated>;

export const RunListQuery = z.strictObject({
  projectId: z.uuid().optional(),
  kind: RunKind.optional(),
  status: RunStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RunListQuery = z.input<typeof RunListQuery>;

export const RunList = z.object({ items: z.array(Run) });
export const RunIdParams = z.object({ id: z.uuid() });

/** `?lastEventId=` is for clients that cannot set the Last-Event-ID header (a browser EventSource URL). */
export const EventStreamQuery = z.object({ lastEventId: z.string().max(64).optional() });

export const runRoutes = {
  create: route({ method: 'post', path: '/api/v1/runs', alsoStatus: [200], errors: [409, 422], summary: 'Start a run (or get the equal one already active)', auth: true, body: RunCreate, response: RunCreated, status: 201 }),
  list: route({ method: 'get', path: '/api/v1/runs', summary: 'List runs, newest first', auth: true, query: RunListQuery, response: RunList }),
  get: route({ method: 'get', path: '/api/v1/runs/:id', params: RunIdParams, summary: 'Get a run', auth: true, response: Run }),
  cancel: route({ method: 'post', path: '/api/v1/runs/:id/cancel', params: RunIdParams, errors: [409], summary: 'Ask a run to stop; it ends cancelled', auth: true, response: Run, status: 202 }),
  events: route({ method: 'get', path: '/api/v1/runs/:id/events', params: RunIdParams, produces: ['text/event-stream'], summary: 'Server-sent events of one run: replay after Last-Event-ID, then live, then `done`', auth: true, query: EventStreamQuery }),
  tenantEvents: route({ method: 'get', path: '/api/v1/events', produces: ['text/event-stream'], summary: 'Server-sent events of the tenant: runs created, updated and finished', auth: true, query: EventStreamQuery }),
};
