import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';

/**
 * Sign-ins in flight are written before anyone is authenticated: drop them an hour after they
 * expired, and sessions a day after they ended, so neither table grows without bound.
 */
export async function pruneSsoLogins(orm: Orm): Promise<number> {
  const em = systemEm(orm);
  const logins = await em.execute<{ id: string }[]>(`delete from sso_logins where expires_at < now() - interval '1 hour' returning id`);
  const sessions = await em.execute<{ id: string }[]>(
    `delete from sso_sessions where (revoked_at is not null and revoked_at < now() - interval '1 day') or expires_at < now() - interval '1 day' returning id`,
  );
  return logins.length + sessions.length;
}
