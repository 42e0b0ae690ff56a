import type { EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Orm } from './orm.ts';
import { assertTenantId, type TenantScope } from './tenant-context.ts';
import { APP_ROLE } from './rls.ts';

export interface TenantReadOptions<T> {
  orderBy?: QueryOrderMap<T>;
  limit?: number;
}

/**
 * A read-only query as the tenant, in ONE round trip: `select set_config('role', …, true),
 * set_config('nyx.tenant_id', …, true); select …` sent together as one simple-protocol message. `withTenant` needs three (BEGIN with the
 * scope, the query, COMMIT); for the hottest reads (a project by id, the project list) that is
 * most of the cost of tenancy. The simple protocol has no parameters, so the query builder's
 * parameters are inlined with the pg client's own literal escaping, and only plain values are
 * accepted. The same row-level security applies: the select runs as nyx_app inside the scope.
 */
export async function selectAsTenant<T extends object>(
  orm: Orm,
  scope: TenantScope,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: TenantReadOptions<T> = {},
): Promise<T[]> {
  assertTenantId(scope.tenantId);
  // Several statements in one simple Query message form one implicit transaction, so the
  // transaction-local role and tenant hold for the select and vanish with it (even on error).
  const scopeSql = `select set_config('role', '${APP_ROLE}', true), set_config('nyx.tenant_id', '${scope.tenantId}', true)`;
  return selectInOneMessage(orm, entity, where, options, (select) => `${scopeSql}; ${select}`);
}

/**
 * The same read in the system context (no role, no tenant, no RLS). Only for comparisons such as
 * the tenancy benchmark; client work always goes through selectAsTenant.
 */
export function selectAsSystem<T extends object>(orm: Orm, entity: EntityName<T>, where: FilterQuery<T>, options: TenantReadOptions<T> = {}): Promise<T[]> {
  return selectInOneMessage(orm, entity, where, options, (select) => select);
}

async function selectInOneMessage<T extends object>(
  orm: Orm,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  options: TenantReadOptions<T>,
  wrap: (select: string) => string,
): Promise<T[]> {
  const em = orm.em.fork({ clear: true }) as EntityManager;
  const qb = em.createQueryBuilder(entity).select('*').where(where as never);
  if (options.orderBy) qb.orderBy(options.orderBy);
  if (options.limit !== undefined) qb.limit(options.limit);
  const select = inlineParameters(qb.getQuery(), qb.getParams());
  const pool = await em.getConnection().getNativeClient();
  const client = await pool.connect();
  try {
    const result = (await client.query(wrap(select))) as unknown as pg.QueryResult | pg.QueryResult[];
    // One statement answers one result; with the scope statement first, the select's is the last.
    const rows = (Array.isArray(result) ? result[result.length - 1] : result).rows as Record<string, unknown>[];
    return rows.map((row) => em.map(entity, row as never));
  } finally {
    client.release();
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  throw new Error(`selectAsTenant: cannot inline a parameter of type ${typeof value}`);
}

/** Replaces each `?` placeholder, outside quoted identifiers and literals, with its escaped value. */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let quote: '"' | "'" | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
      out += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      out += char;
    } else if (char === '?') {
      if (next >= params.length) throw new Error('selectAsTenant: more placeholders than parameters');
      out += literal(params[next++]);
    } else {
      out += char;
    }
  }
  if (next !== params.length) throw new Error('selectAsTenant: more parameters than placeholders');
  return out;
}
