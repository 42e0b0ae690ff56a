import { Migration } from '@mikro-orm/migrations';

/**
 * Decision 0011: every reference between tenant tables is a composite foreign key
 * `(tenant_id, x_id) → (tenant_id, id)`, so a row can only point at a row of its own tenant.
 * Mirrors server/src/db/tenant-references.ts as it was when this ran (the drift test holds the two
 * equal; a later change is a later migration).
 *
 * Rows written before this migration may break a key: rows of a deleted project (deletes did not
 * cascade) and references that crossed tenants (the hole this closes). They are cleaned up first:
 * a nullable reference is cleared, a row that cannot exist without its parent is deleted. The
 * references run parents-first, so rows orphaned by an earlier cleanup are caught by a later one.
 *
 * The keys are checked at commit (deferrable initially deferred): the entities declare no
 * relations, so MikroORM does not order one flush's inserts parent-first.
 */
type Reference = readonly [table: string, column: string, references: string, onDelete: 'cascade' | 'set null'];

const REFERENCED_TABLES = ['users', 'projects', 'runs', 'snapshots', 'reports', 'personas', 'workflows', 'github_syncs'];

const REFERENCES: readonly Reference[] = [
  ['api_tokens', 'user_id', 'users', 'cascade'],
  ['projects', 'created_by', 'users', 'set null'],
  ['projects', 'updated_by', 'users', 'set null'],
  ['ai_models', 'created_by', 'users', 'set null'],
  ['ai_budgets', 'updated_by', 'users', 'set null'],
  ['provider_credentials', 'created_by', 'users', 'set null'],
  ['provider_credentials', 'updated_by', 'users', 'set null'],
  ['github_credentials', 'created_by', 'users', 'set null'],
  ['github_credentials', 'updated_by', 'users', 'set null'],
  ['personas', 'created_by', 'users', 'set null'],
  ['personas', 'updated_by', 'users', 'set null'],
  ['workflows', 'created_by', 'users', 'set null'],
  ['workflows', 'updated_by', 'users', 'set null'],
  ['workflow_versions', 'created_by', 'users', 'set null'],
  ['notes', 'created_by', 'users', 'set null'],
  ['notes', 'updated_by', 'users', 'set null'],
  ['runs', 'created_by', 'users', 'set null'],
  ['reports', 'created_by', 'users', 'set null'],
  ['digests', 'created_by', 'users', 'set null'],
  ['discussions', 'created_by', 'users', 'set null'],
  ['github_syncs', 'created_by', 'users', 'set null'],
  ['blobs', 'created_by', 'users', 'set null'],
  ['snapshots', 'created_by', 'users', 'set null'],
  ['findings', 'dismissed_by', 'users', 'set null'],
  ['memory_entries', 'created_by', 'users', 'set null'],
  ['autofix_applications', 'applied_by', 'users', 'set null'],
  ['audit_events', 'actor_user_id', 'users', 'set null'],
  ['ai_calls', 'user_id', 'users', 'set null'],
  ['runs', 'project_id', 'projects', 'cascade'],
  ['reports', 'project_id', 'projects', 'cascade'],
  ['notes', 'project_id', 'projects', 'cascade'],
  ['snapshots', 'project_id', 'projects', 'cascade'],
  ['findings', 'project_id', 'projects', 'cascade'],
  ['code_patterns', 'project_id', 'projects', 'cascade'],
  ['memory_entries', 'project_id', 'projects', 'cascade'],
  ['digests', 'project_id', 'projects', 'cascade'],
  ['discussions', 'project_id', 'projects', 'cascade'],
  ['github_syncs', 'project_id', 'projects', 'cascade'],
  ['workflow_insights', 'project_id', 'projects', 'cascade'],
  ['autofix_applications', 'project_id', 'projects', 'cascade'],
  ['run_events', 'run_id', 'runs', 'cascade'],
  ['reports', 'run_id', 'runs', 'cascade'],
  ['digests', 'run_id', 'runs', 'cascade'],
  ['discussions', 'run_id', 'runs', 'cascade'],
  ['discussion_turns', 'run_id', 'runs', 'cascade'],
  ['github_syncs', 'run_id', 'runs', 'cascade'],
  ['workflow_insights', 'run_id', 'runs', 'cascade'],
  ['workflow_step_outputs', 'run_id', 'runs', 'cascade'],
  ['autofix_applications', 'run_id', 'runs', 'cascade'],
  ['ai_calls', 'run_id', 'runs', 'set null'],
  ['memory_entries', 'source_run_id', 'runs', 'set null'],
  ['autofix_applications', 'analysis_run_id', 'runs', 'set null'],
  ['workflow_step_outputs', 'reused_from_run_id', 'runs', 'set null'],
  ['findings', 'first_seen_snapshot_id', 'snapshots', 'cascade'],
  ['findings', 'last_seen_snapshot_id', 'snapshots', 'cascade'],
  ['github_syncs', 'snapshot_id', 'snapshots', 'cascade'],
  ['autofix_applications', 'snapshot_id', 'snapshots', 'cascade'],
  ['github_syncs', 'previous_sync_id', 'github_syncs', 'set null'],
  ['digests', 'report_id', 'reports', 'cascade'],
  ['workflow_versions', 'workflow_id', 'workflows', 'cascade'],
  ['workflow_insights', 'workflow_id', 'workflows', 'cascade'],
  ['workflow_step_outputs', 'persona_id', 'personas', 'set null'],
];

const constraintName = ([table, column]: Reference) => `${table}_${column}_tenant_fk`;

export class Migration20261202000001TenantReferences extends Migration {
  override async up(): Promise<void> {
    for (const table of REFERENCED_TABLES) {
      this.addSql(`alter table "${table}" add constraint "${table}_tenant_id_id_unique" unique ("tenant_id", "id");`);
    }
    const nullable = await this.nullableColumns();
    for (const reference of REFERENCES) {
      const [table, column, target] = reference;
      const broken = `"${column}" is not null and not exists (select 1 from "${target}" t where t.tenant_id = "${table}".tenant_id and t.id = "${table}"."${column}")`;
      this.addSql(nullable.has(`${table}.${column}`) ? `update "${table}" set "${column}" = null where ${broken};` : `delete from "${table}" where ${broken};`);
    }
    for (const reference of REFERENCES) {
      const [table, column, target, onDelete] = reference;
      const action = onDelete === 'cascade' ? 'cascade' : `set null ("${column}")`;
      this.addSql(
        `alter table "${table}" add constraint "${constraintName(reference)}" foreign key ("tenant_id", "${column}") references "${target}" ("tenant_id", "id") on delete ${action} deferrable initially deferred;`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const reference of REFERENCES) this.addSql(`alter table "${reference[0]}" drop constraint if exists "${constraintName(reference)}";`);
    for (const table of REFERENCED_TABLES) this.addSql(`alter table "${table}" drop constraint if exists "${table}_tenant_id_id_unique";`);
  }

  /** Which reference columns allow null (read from the catalog, so the cleanup never guesses). */
  private async nullableColumns(): Promise<Set<string>> {
    const rows = await this.execute(
      `select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_nullable = 'YES'`,
    );
    return new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  }
}
