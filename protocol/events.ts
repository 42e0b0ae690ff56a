import { z } from 'zod';
import { Run, RunStatus } from './runs.ts';

/**
 * What travels over the two server-sent event streams. Each SSE message has `id:` (the resume
 * cursor), `event:` (the type below) and `data:` (one JSON document of the matching schema).
 */

/** How long a client waits before reconnecting (the `retry:` hint the server sends first). */
export const SSE_RETRY_MS = 2_000;

/** One row of run_events as it reaches a client. `seq` counts from 1 within the run and is the SSE id. */
export const RunEventMessage = z.object({
  runId: z.uuid(),
  seq: z.number().int().min(1),
  type: z.string(),
  data: z.unknown(),
  createdAt: z.string(),
});
export type RunEventMessage = z.infer<typeof RunEventMessage>;

/** Event types the runner itself writes; handlers add their own (e.g. `selftest.tick`). */
export const RUN_EVENT = {
  /** A runner claimed the run: data is RunStatusData. */
  status: 'status',
  /** data is RunProgressData. */
  progress: 'progress',
  /** Always the last event of a run: data is RunDoneData; the stream closes after it. */
  done: 'done',
} as const;

export const RunStatusData = z.object({ status: RunStatus, attempt: z.number().int() });
export type RunStatusData = z.infer<typeof RunStatusData>;

export const RunProgressData = z.object({ fraction: z.number().min(0).max(1), message: z.string().nullable() });
export type RunProgressData = z.infer<typeof RunProgressData>;

export const RunDoneData = z.object({
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  result: z.unknown().nullable(),
  error: z.string().nullable(),
});
export type RunDoneData = z.infer<typeof RunDoneData>;

/** Tenant stream event types: the data of each is the run as it is now (a snapshot, safe to apply twice). */
export const TENANT_EVENT = {
  runCreated: 'run.created',
  runUpdated: 'run.updated',
  runFinished: 'run.finished',
} as const;
export type TenantEventType = (typeof TENANT_EVENT)[keyof typeof TENANT_EVENT];

export const TenantRunEventData = Run;
export type TenantRunEventData = z.infer<typeof TenantRunEventData>;
