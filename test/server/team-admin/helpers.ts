import { randomBytes } from 'node:crypto';
import type { Role } from '#protocol/roles.ts';
import type { TokenScope } from '#protocol/tokens.ts';
import type { RunningNyx } from '#server/main.ts';
import { createToken, createUser } from '#server/modules/tenancy/service.ts';
import type { TestTenant } from '../helpers/nyx.ts';

/** A person of the tenant with a role, and a token of the given scope (admin: the whole role). */
export async function memberWithRole(nyx: RunningNyx, tenantId: string, role: Role, scope: TokenScope = 'admin'): Promise<TestTenant & { email: string }> {
  const orm = nyx.database.orm;
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const user = await createUser(orm, tenantId, email, undefined, role);
  const issued = await createToken(orm, user.id, `${role} token`, { scope });
  return { tenantId, userId: user.id, token: issued.token, email };
}

/**
 * Row counts and a checksum of every table with a tenant_id (read from the catalog, so new tables
 * join by themselves), except security_events, which records refused requests by design.
 * Embeddings make to_jsonb slow on big tables, but test databases are small.
 */
export async function tenantTablesFingerprint(nyx: RunningNyx): Promise<Record<string, string>> {
  const em = nyx.database.orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(
    `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' and c.table_name <> 'security_events' order by 1`,
  );
  const result: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const [row] = await em.execute<{ n: string; sum: string | null }[]>(
      // last_used_at is a hint the authenticator writes on a token's first use, not a change a request made.
      `select count(*)::text as n, md5(coalesce(string_agg(md5((to_jsonb(t) - 'last_used_at')::text), '' order by md5((to_jsonb(t) - 'last_used_at')::text)), '')) as sum from "${table}" t`,
    );
    result[table] = `${row.n}:${row.sum}`;
  }
  return result;
}
