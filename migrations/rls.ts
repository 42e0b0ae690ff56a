/**
 * SQL for the tenancy rule of ARCHITECTURE.md section 3: ENABLE + FORCE row-level security and
 * one policy per allowed operation, each comparing tenant_id with the transaction-local setting.
 * An unset setting yields NULL, which matches nothing: no tenant, no rows.
 */
export type TableOperation = 'select' | 'insert' | 'update' | 'delete';

const CURRENT_TENANT = `nullif(current_setting('nyx.tenant_id', true), '')::uuid`;

export function enableTenantRls(table: string, operations: TableOperation[]): string[] {
  const sql = [
    `alter table "${table}" enable row level security;`,
    `alter table "${table}" force row level security;`,
  ];
  for (const operation of operations) {
    const name = `${table}_${operation}`;
    if (operation === 'insert') {
      sql.push(`create policy ${name} on "${table}" for insert to nyx_app with check (tenant_id = ${CURRENT_TENANT});`);
    } else if (operation === 'update') {
      sql.push(
        `create policy ${name} on "${table}" for update to nyx_app using (tenant_id = ${CURRENT_TENANT}) with check (tenant_id = ${CURRENT_TENANT});`,
      );
    } else {
      sql.push(`create policy ${name} on "${table}" for ${operation} to nyx_app using (tenant_id = ${CURRENT_TENANT});`);
    }
  }
  sql.push(`grant ${operations.join(', ')} on "${table}" to nyx_app;`);
  return sql;
}

export function tenantRlsDown(table: string): string[] {
  return ['select', 'insert', 'update', 'delete'].map((op) => `drop policy if exists ${table}_${op} on "${table}";`);
}
