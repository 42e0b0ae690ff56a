import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm.ts';
import { pendingTenantScope, type PendingTenantScope } from './tenant-driver.ts';

/** Who a piece of work is for. Access is decided by tenant alone; the user is only the author. */
export interface TenantScope {
  tenantId: string;
  userId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant id is inlined into SQL by the tenant driver: only a well-formed uuid may get there. */
export function assertTenantId(tenantId: string): void {
  if (!UUID.test(tenantId)) throw new Error(`withTenant: not a tenant id: ${tenantId}`);
}

/**
 * Runs `work` in a transaction as the restricted `nyx_app` role with the tenant set
 * transaction-locally, so row-level security decides what it sees. The driver sends BEGIN, the
 * role and the tenant as one statement (tenant-driver.ts; the id is a validated uuid, so inlining
 * it is safe). Nothing is set at session level, so a pooled connection never carries a tenant to
 * its next user. Keep model calls and streams outside: a transaction must not wait on the network.
 * Do not start system work (systemEm) inside `work` either: the embedded database has a pool of
 * one connection, so it would wait for this transaction forever.
 */
export async function withTenant<T>(orm: Orm, scope: TenantScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
  assertTenantId(scope.tenantId);
  const em = orm.em.fork({ clear: true }) as EntityManager;
  const pending: PendingTenantScope = { tenantId: scope.tenantId, applied: false };
  return pendingTenantScope.run(pending, () =>
    em.transactional(async (tx) => {
      // Only if the driver could not fold it into BEGIN (it always can today): never run unscoped.
      if (!pending.applied) {
        pending.applied = true;
        await tx.execute(`set local role nyx_app; select set_config('nyx.tenant_id', '${scope.tenantId}', true)`, [], 'run');
      }
      return work(tx);
    }),
  );
}

/**
 * The system context: the connecting role, which owns the schema and bypasses RLS. Used for
 * authentication, security events, migrations and run claiming across tenants; never for work
 * a client asked for.
 */
export function systemEm(orm: Orm): EntityManager {
  return orm.em.fork({ clear: true }) as EntityManager;
}
