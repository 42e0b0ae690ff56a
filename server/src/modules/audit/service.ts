import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import type { Orm } from '#server/db/orm.ts';
import { AuditEvent } from './audit-event.entity.ts';
import { SecurityEvent } from './security-event.entity.ts';

/** Records a change inside the tenant transaction that made it, so both commit or neither. */
export function recordAudit(
  em: EntityManager,
  scope: TenantScope,
  action: string,
  entityType: string,
  entityId: string,
  data: Record<string, unknown> | null = null,
): void {
  em.create(AuditEvent, { tenantId: scope.tenantId, actorUserId: scope.userId, action, entityType, entityId, data });
}

export interface SecurityEventInput {
  kind: 'auth_missing' | 'auth_malformed' | 'auth_invalid' | 'auth_revoked' | 'cross_tenant_access';
  tenantId?: string | null;
  actorUserId?: string | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  remoteAddress?: string | null;
}

/** Security events are written by the system context: the actor may have no tenant at all. */
export async function recordSecurityEvent(orm: Orm, input: SecurityEventInput): Promise<void> {
  const em = systemEm(orm);
  em.create(SecurityEvent, {
    kind: input.kind,
    tenantId: input.tenantId ?? null,
    actorUserId: input.actorUserId ?? null,
    target: input.target?.slice(0, 300) ?? null,
    detail: input.detail ?? null,
    remoteAddress: input.remoteAddress ?? null,
  });
  await em.flush();
}
