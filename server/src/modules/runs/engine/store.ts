import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import type { RunEventMessage, RunDoneData } from '#protocol/events.ts';
import { RUN_EVENT } from '#protocol/events.ts';
import type { RunInfo } from './registry.ts';

/**
 * The SQL of a run's life. Every statement that writes an event bumps runs.last_seq in the same
 * statement: the update takes the run's row lock, so events of one run commit in seq order and a
 * reader asking for `seq > n` never skips one that commits later.
 */

export interface ClaimedRun extends RunInfo {
  /** seq of the `status` event the claim wrote. */
  statusSeq: number;
  /** Whether another run was claimable when this one was claimed (else the runner need not ask again). */
  morePending: boolean;
}

export interface AppendedEvent {
  seq: number;
  tenantId: string;
  /** The row as committed (what a reader would get): streams on this instance take it without reading it back. */
  event: RunEventMessage;
}

interface EventRow {
  run_id: string;
  seq: number;
  tenant_id: string;
  type: string;
  data: unknown;
  created_at: Date;
}

const RETURNING_EVENT = 'returning run_id, seq, tenant_id, type, data, created_at';

function toAppended(row: EventRow | undefined): AppendedEvent | null {
  if (!row) return null;
  return { seq: row.seq, tenantId: row.tenant_id, event: toEventMessage(row.run_id, row) };
}

function toEventMessage(runId: string, row: Pick<EventRow, 'seq' | 'type' | 'data' | 'created_at'>): RunEventMessage {
  return { runId, seq: row.seq, type: row.type, data: row.data, createdAt: new Date(row.created_at).toISOString() };
}

const seconds = (ms: number) => ms / 1000;

/** Runs of `kinds` (first parameter) with attempts left (second) that are pending or whose lease expired. */
const claimable = (alias: string) =>
  `${alias}.kind in (?) and ${alias}.attempts < ? and ${alias}.cancel_requested_at is null
   and (${alias}.status = 'pending' or (${alias}.status = 'running' and ${alias}.lease_expires_at < now()))`;

/** Claims the oldest pending run of a kind this instance can execute, or one whose lease expired. */
export async function claimNextRun(orm: Orm, owner: string, kinds: string[], leaseMs: number, maxAttempts: number): Promise<ClaimedRun | null> {
  if (kinds.length === 0) return null;
  return systemEm(orm).transactional(async (em) => {
    // more_pending reads the statement's snapshot, where the claimed row is still claimable: hence `c.id <> runs.id`.
    const [row] = await em.execute<Record<string, any>[]>(
      `update runs set status = 'running', lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?),
              heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now(),
              last_seq = last_seq + 1
        where id = (select id from runs r where ${claimable('r')} order by created_at limit 1 for update skip locked)
        returning id, tenant_id, project_id, kind, input, attempts, created_by, last_seq,
                  exists (select 1 from runs c where c.id <> runs.id and ${claimable('c')}) as more_pending`,
      [owner, seconds(leaseMs), kinds, maxAttempts, kinds, maxAttempts],
    );
    if (!row) return null;
    await em.execute(`insert into run_events (run_id, seq, tenant_id, type, data, created_at) values (?, ?, ?, ?, ?::jsonb, now())`, [
      row.id,
      row.last_seq,
      row.tenant_id,
      RUN_EVENT.status,
      JSON.stringify({ status: 'running', attempt: row.attempts }),
    ]);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      projectId: row.project_id,
      kind: row.kind,
      input: row.input ?? {},
      attempt: row.attempts,
      createdBy: row.created_by,
      statusSeq: row.last_seq,
      morePending: row.more_pending,
    };
  });
}

/** Extends the lease; `held: false` means another instance or the sweep took the run away. */
export async function renewLease(orm: Orm, runId: string, owner: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: boolean }> {
  const rows = await systemEm(orm).execute<{ cancel_requested_at: Date | null }[]>(
    `update runs set heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => ?)
      where id = ? and status = 'running' and lease_owner = ? returning cancel_requested_at`,
    [seconds(leaseMs), runId, owner],
  );
  return { held: rows.length === 1, cancelRequested: Boolean(rows[0]?.cancel_requested_at) };
}

/**
 * Appends an event to a run this owner holds, optionally recording progress on the row.
 * Returns null when the run is no longer held (its events would be an impostor's).
 */
export async function appendRunEvent(
  em: EntityManager,
  runId: string,
  owner: string,
  type: string,
  data: unknown,
  progress?: { fraction: number; message: string | null },
): Promise<AppendedEvent | null> {
  const setProgress = progress ? ', progress = ?, progress_message = ?, updated_at = now()' : '';
  const progressParams = progress ? [progress.fraction, progress.message] : [];
  const [row] = await em.execute<EventRow[]>(
    `with bumped as (update runs set last_seq = last_seq + 1${setProgress}
                      where id = ? and status = 'running' and lease_owner = ? returning id, tenant_id, last_seq)
     insert into run_events (run_id, seq, tenant_id, type, data, created_at)
     select id, last_seq, tenant_id, ?, ?::jsonb, now() from bumped ${RETURNING_EVENT}`,
    [...progressParams, runId, owner, type, JSON.stringify(data ?? null)],
  );
  return toAppended(row);
}

/** Which runs a finish may touch: each is re-checked under the row lock, so racing writers cannot both win. */
export type FinishGuard =
  | { kind: 'owner'; owner: string }
  | { kind: 'pending' }
  | { kind: 'orphan'; maxAttempts: number; stuckMs: number };

function guardSql(guard: FinishGuard): { sql: string; params: unknown[] } {
  switch (guard.kind) {
    case 'owner':
      return { sql: `status = 'running' and lease_owner = ?`, params: [guard.owner] };
    case 'pending':
      return { sql: `status = 'pending'`, params: [] };
    case 'orphan':
      return { sql: `status = 'running' and (${ORPHAN_CONDITION})`, params: [guard.maxAttempts, seconds(guard.stuckMs)] };
  }
}

/** Lease expired with no attempt left (or a cancel nobody is left to honour), or no heartbeat for too long. */
const ORPHAN_CONDITION = `(lease_expires_at < now() and (attempts >= ? or cancel_requested_at is not null))
  or coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ?)`;

/** Moves a run to its final status and writes the `done` event, in one statement. */
export async function finishRun(em: EntityManager, runId: string, outcome: RunDoneData, guard: FinishGuard): Promise<AppendedEvent | null> {
  const { sql, params } = guardSql(guard);
  const [row] = await em.execute<EventRow[]>(
    `with finished as (
       update runs set status = ?, result = ?::jsonb, error = ?, finished_at = now(), updated_at = now(),
              progress = case when ? = 'succeeded' then 1 else progress end,
              lease_owner = null, lease_expires_at = null, last_seq = last_seq + 1
        where id = ? and (${sql}) returning id, tenant_id, last_seq)
     insert into run_events (run_id, seq, tenant_id, type, data, created_at)
     select id, last_seq, tenant_id, ?, ?::jsonb, now() from finished ${RETURNING_EVENT}`,
    [
      outcome.status,
      outcome.result === null || outcome.result === undefined ? null : JSON.stringify(outcome.result),
      outcome.error,
      outcome.status,
      runId,
      ...params,
      RUN_EVENT.done,
      JSON.stringify(outcome),
    ],
  );
  return toAppended(row);
}

/** On a graceful shutdown: hand the run back so another instance starts it now, not after the lease. */
export async function releaseRun(orm: Orm, runId: string, owner: string): Promise<boolean> {
  const rows = await systemEm(orm).execute(
    `update runs set status = 'pending', lease_owner = null, lease_expires_at = null, attempts = greatest(attempts - 1, 0), updated_at = now()
      where id = ? and status = 'running' and lease_owner = ? returning id`,
    [runId, owner],
  );
  return rows.length === 1;
}

export interface OrphanRun {
  id: string;
  tenantId: string;
  attempts: number;
  cancelRequested: boolean;
  leaseExpired: boolean;
}

export async function findOrphanRuns(orm: Orm, maxAttempts: number, stuckMs: number): Promise<OrphanRun[]> {
  const rows = await systemEm(orm).execute<Record<string, any>[]>(
    `select id, tenant_id, attempts, cancel_requested_at is not null as cancel_requested, lease_expires_at < now() as lease_expired
       from runs where status = 'running' and (${ORPHAN_CONDITION}) limit 100`,
    [maxAttempts, seconds(stuckMs)],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    attempts: row.attempts,
    cancelRequested: row.cancel_requested,
    leaseExpired: Boolean(row.lease_expired),
  }));
}

export async function readRunEventsAfter(em: EntityManager, runId: string, afterSeq: number, limit: number): Promise<RunEventMessage[]> {
  const rows = await em.execute<{ seq: number; type: string; data: unknown; created_at: Date }[]>(
    `select seq, type, data, created_at from run_events where run_id = ? and seq > ? order by seq limit ?`,
    [runId, afterSeq, limit],
  );
  return rows.map((row) => toEventMessage(runId, row));
}
