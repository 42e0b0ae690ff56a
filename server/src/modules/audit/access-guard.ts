import type { EntityName } from '@mikro-orm/core';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError, ReferenceNotFoundError } from '#server/errors.ts';
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

/** An id a request names in its body or run input, and where: `input.personaIds.1`. */
export interface NamedReference {
  field: string;
  entity: EntityName<any>;
  id: string;
}

/**
 * Every id a body or run input names must be a row of the caller's tenant, checked before
 * anything is written so the client learns which field is wrong. Missing and another tenant's
 * are the same 404 ("<field>: not found"); the second also writes a security event. The
 * database holds the same rule for stored columns (composite foreign keys), this one also
 * covers ids that live inside JSON run inputs.
 */
export async function requireReferences(orm: Orm, auth: Authenticated, references: NamedReference[]): Promise<void> {
  if (references.length === 0) return;
  const missing = await withTenant(orm, auth, async (em) => {
    for (const reference of references) {
      if ((await em.count(reference.entity, { id: reference.id } as never)) === 0) return reference;
    }
    return null;
  });
  if (!missing) return;
  const elsewhere = await systemEm(orm).count(missing.entity, { id: missing.id } as never);
  if (elsewhere > 0) {
    await recordSecurityEvent(orm, {
      kind: 'cross_tenant_access',
      tenantId: auth.tenantId,
      actorUserId: auth.userId,
      target: `${missing.field}:${missing.id}`,
    });
  }
  throw new ReferenceNotFoundError(missing.field);
}
