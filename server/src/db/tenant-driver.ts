import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type DatabaseConnection, type Driver, type TransactionSettings } from 'kysely';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Configuration } from '@mikro-orm/core';
import { APP_ROLE } from './rls.ts';

/**
 * The tenant a transaction about to begin is for. One-shot: the first BEGIN inside `run` claims it,
 * so system work nested in a tenant callback (which opens its own transaction) is never scoped.
 */
export interface PendingTenantScope {
  tenantId: string;
  applied: boolean;
}

export const pendingTenantScope = new AsyncLocalStorage<PendingTenantScope>();

/** The statement that opens a tenant transaction: one round trip instead of three. */
export function tenantBeginSql(tenantId: string): string {
  return `begin; set local role ${APP_ROLE}; select set_config('nyx.tenant_id', '${tenantId}', true)`;
}

/**
 * A PostgreSQL connection whose BEGIN also switches to the restricted role and sets the tenant,
 * when a tenant transaction is pending. Everything stays transaction-local.
 */
class TenantAwareConnection extends PostgreSqlConnection {
  override createKyselyDialect(overrides: Record<string, unknown>) {
    const dialect = super.createKyselyDialect(overrides);
    const createDriver = dialect.createDriver.bind(dialect);
    dialect.createDriver = (): Driver => {
      const driver = createDriver();
      const begin = driver.beginTransaction.bind(driver);
      driver.beginTransaction = async (connection: DatabaseConnection, settings: TransactionSettings) => {
        const pending = pendingTenantScope.getStore();
        if (!pending || pending.applied || settings.isolationLevel || settings.accessMode) return begin(connection, settings);
        pending.applied = true;
        await connection.executeQuery(CompiledQuery.raw(tenantBeginSql(pending.tenantId)));
      };
      return driver;
    };
    return dialect;
  }
}

export class NyxPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    // The base class built a plain connection (not yet connected); use the tenant-aware one instead.
    (this as unknown as { connection: PostgreSqlConnection }).connection = new TenantAwareConnection(config);
  }
}
