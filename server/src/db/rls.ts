import type { PolicyDef } from '@mikro-orm/core';

/**
 * The tenancy rule of ARCHITECTURE.md section 3, declared on each entity so the ORM, the
 * migrations and the drift test all see it: ENABLE + FORCE row-level security, and one policy per
 * allowed operation for the `nyx_app` role comparing tenant_id with the transaction-local setting.
 * An unset setting gives NULL, which matches nothing: no tenant, no rows.
 */
export type TableOperation = 'select' | 'insert' | 'update' | 'delete';

export const APP_ROLE = 'nyx_app';
export const CURRENT_TENANT_SQL = `nullif(current_setting('nyx.tenant_id', true), '')::uuid`;

export function tenantRls(table: string, operations: TableOperation[], column = 'tenant_id') {
  const matches = `${column} = ${CURRENT_TENANT_SQL}`;
  const policies: PolicyDef[] = operations.map((command) => ({
    name: `${table}_${command}`,
    command,
    roles: [APP_ROLE],
    ...(command === 'insert' ? {} : { using: matches }),
    ...(command === 'insert' || command === 'update' ? { check: matches } : {}),
  }));
  return { rowLevelSecurity: 'force' as const, policies };
}

/** What nyx_app may do on each table; the foundation migration turns it into GRANTs. */
export function grantsFor(table: string, operations: TableOperation[]): string {
  return `grant ${operations.join(', ')} on "${table}" to ${APP_ROLE};`;
}
