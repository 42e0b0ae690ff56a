import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import type { Orm } from '#server/db/orm.ts';
import { AuditEvent } from './audit-event.entity.ts';

/** Records a change inside the tenant transaction that made it, so both commit or neither. */
export function recordAudit(
  em: EntityManager,
  scope: TenantScope & { remoteAddress?: string | null },
  action: string,
  entityType: string,
  entityId: string,
  data: Record<string, unknown> | null = null,
): void {
  em.create(AuditEvent, { tenantId: scope.tenantId, actorUserId: scope.userId, action, entityType, entityId, data, remoteAddress: scope.remoteAddress?.slice(0, 100) ?? null });
}

export interface SecurityEventInput {
  kind:
    | 'auth_missing'
    | 'auth_malformed'
    | 'auth_invalid'
    | 'auth_revoked'
    | 'auth_expired'
    | 'auth_rate_limited'
    | 'cross_tenant_access'
    | 'invitation_invalid'
    | 'oidc_failure'
    // Single sign-on (server/src/modules/sso): a callback with a state or nonce we did not issue,
    // a refused IdP answer or member, a wrong handoff code or verifier, a dead refresh token.
    | 'sso_state_invalid'
    | 'sso_nonce_mismatch'
    | 'sso_callback_refused'
    | 'sso_sign_in_refused'
    | 'sso_handoff_invalid'
    | 'sso_refresh_invalid';
  tenantId?: string | null;
  actorUserId?: string | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  remoteAddress?: string | null;
}

/**
 * Security events are written by the system context: the actor may have no tenant at all. One row
 * per source, kind and minute (and target, for cross-tenant probes): a repeat within the minute
 * adds to its count (keeping the latest target and user) instead of adding a row.
 */
export async function recordSecurityEvent(orm: Orm, input: SecurityEventInput): Promise<void> {
  const now = new Date();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  // A cross-tenant probe keeps its target in the key: which ids were tried is the point of the
  // record, and the caller is authenticated (and rate limited per token). An auth failure's
  // target is whatever the client sent, so it would defeat the aggregation.
  const probe = input.kind === 'cross_tenant_access' ? `|${input.target ?? ''}` : '';
  const sourceKey = `${input.remoteAddress ?? '-'}|${input.tenantId ?? '-'}${probe}`.slice(0, 200);
  await systemEm(orm).execute(
    `insert into security_events (id, tenant_id, actor_user_id, kind, target, detail, remote_address, source_key, window_start, count, created_at, last_seen_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
     on conflict (source_key, kind, window_start) do update
       set count = security_events.count + 1, last_seen_at = excluded.last_seen_at,
           target = excluded.target, actor_user_id = coalesce(excluded.actor_user_id, security_events.actor_user_id)`,
    [
      randomUUID(),
      input.tenantId ?? null,
      input.actorUserId ?? null,
      input.kind,
      input.target?.slice(0, 300) ?? null,
      input.detail ? JSON.stringify(input.detail) : null,
      input.remoteAddress?.slice(0, 100) ?? null,
      sourceKey,
      windowStart,
      now,
      now,
    ],
  );
}

/**
 * Keeps security_events to `max` rows, dropping the oldest. Aggregation bounds the rows one source
 * adds; this bounds what many sources (a spread-out attack) can add over time.
 */
export async function pruneSecurityEvents(orm: Orm, max: number): Promise<number> {
  const result = await systemEm(orm).execute<{ id: string }[]>(
    `delete from security_events where id in (select id from security_events order by created_at desc, id desc offset ?) returning id`,
    [max],
  );
  return result.length;
}
