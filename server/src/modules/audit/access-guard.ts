import type { EntityName } from '@mikro-orm/core';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import { NotFoundError } from '#server/errors.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { recordSecurityEvent } from './service.ts';

/**
 * A row RLS hid from the caller answers 404 exactly like a missing one. When the id does exist
 * in another tenant, that attempt is written to security_events (only the system context can see
 * that it exists).
 */
export async function requireFound<T extends object>(
  orm: Orm,
  auth: Authenticated,
  entity: EntityName<T>,
  label: string,
  id: string,
  row: T | null,
): Promise<T> {
  if (row) return row;
  const elsewhere = await systemEm(orm).count(entity, { id } as never);
  if (elsewhere > 0) {
    await recordSecurityEvent(orm, {
      kind: 'cross_tenant_access',
      tenantId: auth.tenantId,
      actorUserId: auth.userId,
      target: `${label}:${id}`,
    });
  }
  throw new NotFoundError(`${label} ${id}`);
}
