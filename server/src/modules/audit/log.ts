// Reading the audit and security logs: newest first, filtered, paged by cursor. The cursor is the
// id of the last row of the previous page, compared as (created_at, id) so rows written in the
// same instant are neither skipped nor repeated.
import type { AuditPage, AuditQuery, SecurityPage, SecurityQuery } from '#protocol/team.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { ValidationError } from '#server/errors.ts';

type Parsed<Q> = Omit<Q, 'limit'> & { limit: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Filter {
  where: string[];
  values: unknown[];
}

function timeAndCursor(table: string, filter: Filter, query: { since?: string; until?: string; cursor?: string }): void {
  if (query.since) {
    filter.where.push(`e.created_at >= ?`);
    filter.values.push(new Date(query.since));
  }
  if (query.until) {
    filter.where.push(`e.created_at < ?`);
    filter.values.push(new Date(query.until));
  }
  if (query.cursor !== undefined) {
    if (!UUID.test(query.cursor)) throw new ValidationError('cursor: not a cursor this server handed out', 'cursor');
    filter.where.push(`(e.created_at, e.id) < (select c.created_at, c.id from ${table} c where c.id = ?)`);
    filter.values.push(query.cursor);
  }
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

interface AuditRow {
  id: string;
  created_at: Date;
  actor_user_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  remote_address: string | null;
  data: Record<string, unknown> | null;
}

export async function readAuditLog(orm: Orm, scope: TenantScope, query: Parsed<AuditQuery>): Promise<AuditPage> {
  const filter: Filter = { where: ['true'], values: [] };
  if (query.actor) {
    filter.where.push('e.actor_user_id = ?');
    filter.values.push(query.actor);
  }
  if (query.action) {
    // "token." means every token action; anything else is exact.
    if (query.action.endsWith('.')) {
      filter.where.push(`left(e.action, ?) = ?`);
      filter.values.push(query.action.length, query.action);
    } else {
      filter.where.push('e.action = ?');
      filter.values.push(query.action);
    }
  }
  timeAndCursor('audit_events', filter, query);
  const rows = await withTenant(orm, scope, (em) =>
    em.execute<AuditRow[]>(
      `select e.id, e.created_at, e.actor_user_id, u.email as actor_email, e.action, e.entity_type, e.entity_id, e.remote_address, e.data
         from audit_events e left join users u on u.id = e.actor_user_id
        where ${filter.where.join(' and ')} order by e.created_at desc, e.id desc limit ?`,
      [...filter.values, query.limit + 1],
    ),
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: iso(row.created_at)!,
      actor: row.actor_user_id ? { id: row.actor_user_id, email: row.actor_email } : null,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      remoteAddress: row.remote_address,
      data: row.data,
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}

interface SecurityRow {
  id: string;
  created_at: Date;
  last_seen_at: Date | null;
  count: number;
  kind: string;
  actor_user_id: string | null;
  target: string | null;
  remote_address: string | null;
}

/** Row-level security shows a team only its own events; those tied to no team are shown to none. */
export async function readSecurityLog(orm: Orm, scope: TenantScope, query: Parsed<SecurityQuery>): Promise<SecurityPage> {
  const filter: Filter = { where: ['true'], values: [] };
  if (query.kind) {
    filter.where.push('e.kind = ?');
    filter.values.push(query.kind);
  }
  timeAndCursor('security_events', filter, query);
  const rows = await withTenant(orm, scope, (em) =>
    em.execute<SecurityRow[]>(
      `select e.id, e.created_at, e.last_seen_at, e.count, e.kind, e.actor_user_id, e.target, e.remote_address
         from security_events e where ${filter.where.join(' and ')} order by e.created_at desc, e.id desc limit ?`,
      [...filter.values, query.limit + 1],
    ),
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: iso(row.created_at)!,
      lastSeenAt: iso(row.last_seen_at),
      count: Number(row.count),
      kind: row.kind,
      actorUserId: row.actor_user_id,
      target: row.target,
      remoteAddress: row.remote_address,
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}
