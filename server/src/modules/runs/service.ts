import { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ValidationError } from '#server/errors.ts';
import type { EventBus } from '#server/events/bus.ts';
import { parseWith } from '#server/http/mount.ts';
import { hashRunInput } from '#server/modules/runs/engine/input-hash.ts';
import type { RunRegistry } from '#server/modules/runs/engine/registry.ts';
import { finishRun } from '#server/modules/runs/engine/store.ts';
import type { Run, RunCreate, RunCreated, RunListQuery } from '#protocol/runs.ts';
import { requireFound, requireReferences } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { toRunDto } from './dto.ts';
import { RunRow } from './run.entity.ts';

/** A run equal to a new request (same kind, project and input) is returned instead when active or succeeded this recently. */
export const DEDUP_WINDOW_MS = 3 * 60_000;

export interface RunServices {
  orm: Orm;
  bus: EventBus;
  registry: RunRegistry;
}

export async function createRun({ orm, bus, registry }: RunServices, auth: Authenticated, body: z.output<typeof RunCreate>): Promise<RunCreated> {
  if (!registry.has(body.kind)) throw new ValidationError(`kind: no handler for run kind "${body.kind}" (known: ${registry.kinds().join(', ')})`, 'kind');
  const schema = registry.inputSchemaFor(body.kind);
  // Parsed under an `input` key, so a 400 names the field as the client sent it (`input.events`).
  const input = schema ? parseWith(z.object({ input: schema }), { input: body.input }, 'input').input : body.input;
  const inputHash = hashRunInput(input);
  await requireReferences(orm, auth, [
    { field: 'projectId', entity: Project, id: body.projectId },
    ...registry.inputReferencesFor(body.kind, input).map((reference) => ({ ...reference, field: `input.${reference.field}` })),
  ]);
  const precondition = registry.preconditionFor(body.kind);
  if (precondition) await withTenant(orm, auth, (em) => precondition(em, input));

  const created = await withTenant(orm, auth, async (em) => {
    // Two equal requests at once must not both miss the guard: serialise them on their identity.
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`run:${auth.tenantId}:${body.projectId}:${body.kind}:${inputHash}`]);
    const existing = await em.findOne(
      RunRow,
      {
        projectId: body.projectId,
        kind: body.kind,
        inputHash,
        $or: [{ status: { $in: ['pending', 'running'] } }, { status: 'succeeded', finishedAt: { $gt: new Date(Date.now() - DEDUP_WINDOW_MS) } }],
      },
      { orderBy: { createdAt: 'desc' } },
    );
    if (existing) return { ...toRunDto(existing), deduplicated: true };
    const now = new Date();
    const row = em.create(RunRow, {
      tenantId: auth.tenantId,
      projectId: body.projectId,
      kind: body.kind,
      input,
      inputHash,
      result: null,
      createdBy: auth.userId,
      createdAt: now,
      updatedAt: now,
    });
    recordAudit(em, auth, 'run.create', 'run', row.id, { kind: body.kind, projectId: body.projectId });
    await em.flush();
    return { ...toRunDto(row), deduplicated: false };
  });
  if (!created.deduplicated) bus.publish({ type: 'run.created', tenantId: auth.tenantId, runId: created.id });
  return created;
}

export async function listRuns(orm: Orm, auth: Authenticated, query: z.output<typeof RunListQuery>): Promise<Run[]> {
  return withTenant(orm, auth, async (em) => {
    const where: Record<string, unknown> = {};
    if (query.projectId) where.projectId = query.projectId;
    if (query.kind) where.kind = query.kind;
    if (query.status) where.status = query.status;
    const rows = await em.find(RunRow, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit });
    return rows.map(toRunDto);
  });
}

export async function getRun(orm: Orm, auth: Authenticated, id: string): Promise<Run> {
  const row = await withTenant(orm, auth, (em) => em.findOne(RunRow, { id }));
  return toRunDto(await requireFound(orm, auth, RunRow, 'run', id, row));
}

/**
 * A pending run is cancelled on the spot; a running one is asked to stop (its runner hears it on
 * the bus, or at its next heartbeat) and ends `cancelled` once the handler returns. A finished run
 * is left as it is.
 */
export async function cancelRun({ orm, bus }: RunServices, auth: Authenticated, id: string): Promise<Run> {
  const outcome = await withTenant(orm, auth, async (em) => {
    const cancelled = await finishRun(em, id, { status: 'cancelled', result: null, error: null }, { kind: 'pending' });
    const requested = cancelled
      ? []
      : await em.execute(`update runs set cancel_requested_at = coalesce(cancel_requested_at, now()), updated_at = now() where id = ? and status = 'running' returning id`, [id]);
    const row = await em.findOne(RunRow, { id });
    if (row && (cancelled || requested.length)) recordAudit(em, auth, 'run.cancel', 'run', id, { was: cancelled ? 'pending' : 'running' });
    await em.flush();
    return { row, cancelledSeq: cancelled?.seq ?? null, requested: requested.length > 0 };
  });
  const row = await requireFound(orm, auth, RunRow, 'run', id, outcome.row);
  if (outcome.cancelledSeq !== null) bus.publish({ type: 'run.event', tenantId: auth.tenantId, runId: id, seq: outcome.cancelledSeq });
  if (outcome.requested) bus.publish({ type: 'run.cancel', tenantId: auth.tenantId, runId: id });
  if (outcome.cancelledSeq !== null || outcome.requested) bus.publish({ type: 'run.updated', tenantId: auth.tenantId, runId: id });
  return toRunDto(row);
}
