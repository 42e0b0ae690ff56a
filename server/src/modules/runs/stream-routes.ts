import type Router from '@koa/router';
import { runRoutes, RunIdParams } from '#protocol/runs.ts';
import { SSE_RETRY_MS } from '#protocol/events.ts';
import type { Orm } from '#server/db/orm.ts';
import { ValidationError } from '#server/errors.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { serveRunStream } from '#server/events/run-stream.ts';
import { SseStream } from '#server/events/sse.ts';
import { serveTenantStream } from '#server/events/tenant-stream.ts';
import type { RunRuntime } from '#server/modules/runs/engine/runtime.ts';
import { getRun } from './service.ts';

/** Unsent bytes a stream may hold for a slow client before it is dropped (it resumes with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The resume cursor: the Last-Event-ID header wins over `?lastEventId=`; both are non-negative integers. */
function cursorOf(ctx: NyxContext, fromQuery: string | undefined): number | null {
  const raw = ctx.get('last-event-id') || fromQuery;
  if (!raw) return null;
  if (!/^\d{1,15}$/.test(raw)) throw new ValidationError('Last-Event-ID must be an id this server sent (a non-negative integer)', 'lastEventId');
  return Number(raw);
}

/** Hands the raw response to an SSE stream; Koa leaves it alone from here on. */
function openStream(ctx: NyxContext, keepAliveMs: number): SseStream {
  ctx.respond = false;
  const sse = new SseStream(ctx.res, { keepAliveMs, retryMs: SSE_RETRY_MS, maxBufferedBytes: MAX_BUFFERED_BYTES });
  sse.open();
  return sse;
}

/**
 * Access is checked before the stream opens, so another tenant's run answers 404 like any
 * request. From then on the stream owns the response; a failure ends it (the client resumes).
 */
export function mountEventStreams(router: Router<NyxState>, orm: Orm, deps: MountDeps, runtime: RunRuntime, keepAliveMs: number): void {
  mount(router, deps, runRoutes.events, async ({ auth, params, query, ctx }) => {
    const id = parseWith(RunIdParams, params, 'id').id;
    const after = cursorOf(ctx, query.lastEventId) ?? 0;
    const run = await getRun(orm, auth, id);
    const sse = openStream(ctx, keepAliveMs);
    serveRunStream(sse, runtime.hub, runtime.source, run, auth.tenantId, after).catch((error) => {
      ctx.state.log.warn({ err: error, runId: id }, 'run event stream failed');
      sse.end();
    });
  });
  mount(router, deps, runRoutes.tenantEvents, async ({ auth, query, ctx }) => {
    const after = cursorOf(ctx, query.lastEventId);
    const sse = openStream(ctx, keepAliveMs);
    serveTenantStream(sse, runtime.hub, runtime.source, auth.tenantId, after).catch((error) => {
      ctx.state.log.warn({ err: error }, 'tenant event stream failed');
      sse.end();
    });
  });
}
