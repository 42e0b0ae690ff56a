// The team (tenant) itself: what it is, and deleting it with everything it owns.
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError, ValidationError } from '#server/errors.ts';
import type { ForgetTokens, Actor } from './members.ts';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';

export async function teamInfo(orm: Orm, actor: Actor): Promise<{ id: string; name: string; members: number }> {
  return withTenant(orm, actor, async (em) => {
    const tenant = await em.findOne(Tenant, { id: actor.tenantId });
    if (!tenant) throw new NotFoundError(`team ${actor.tenantId}`);
    return { id: tenant.id, name: tenant.name, members: await em.count(User, { removedAt: null }) };
  });
}

/**
 * Deletes the team: every row of every table with a tenant_id (read from the catalog, so tables
 * added later go too), then the tenant. One transaction in the system context (nyx_app may not
 * delete tenants); the tenant-checked references are deferred to commit, when nothing of the team
 * is left for them to check. `confirm` must be the team's name.
 */
export async function deleteTeam(orm: Orm, actor: Actor, confirm: string, forget: ForgetTokens): Promise<void> {
  const tenant = await systemEm(orm).findOne(Tenant, { id: actor.tenantId });
  if (!tenant) throw new NotFoundError(`team ${actor.tenantId}`);
  if (confirm !== tenant.name) throw new ValidationError(`confirm: type the team's name ("${tenant.name}") to delete it`, 'confirm');
  const tokens = await systemEm(orm).transactional(async (em) => {
    await em.execute('set constraints all deferred');
    const tokenRows = await em.execute<{ id: string }[]>('select id from api_tokens where tenant_id = ?', [tenant.id]);
    const tables = await em.execute<{ table_name: string }[]>(
      `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' order by 1`,
    );
    // A team's security events stay (they are the system's record of attacks), without the tenant.
    for (const { table_name: table } of tables) {
      if (table === 'security_events') await em.execute('update security_events set tenant_id = null where tenant_id = ?', [tenant.id]);
      else await em.execute(`delete from "${table}" where tenant_id = ?`, [tenant.id]);
    }
    await em.execute('delete from tenants where id = ?', [tenant.id]);
    return tokenRows.map((row) => row.id);
  });
  await forget(tokens);
}
