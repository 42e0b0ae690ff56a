import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Auto-fix and refactor (docs/autofix.md): which files of a run's patch an editor applied, unique
 * per run and path so a repeated report applies nothing twice. Proposals themselves live in the
 * run's result. The SQL is what the ORM generates from
 * server/src/modules/autofix/autofix-application.entity.ts (the drift test holds them equal);
 * the grant is what the ORM does not model. No delete: an application is history.
 */
export class Migration20261122000007Autofix extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "autofix_applications" ("id" uuid not null, "tenant_id" uuid not null, "run_id" uuid not null, "project_id" uuid not null, "path" varchar(1024) not null, "base_blob_hash" varchar(64) not null, "new_blob_hash" varchar(64) not null, "as_proposed" boolean not null, "snapshot_id" uuid not null, "analysis_run_id" uuid null, "applied_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "autofix_applications" is 'Files of autofix/refactor patches applied in an editor; unique per run and path, so nothing is applied twice.';`);
    this.addSql(`create index "autofix_applications_tenant_id_index" on "autofix_applications" ("tenant_id");`);
    this.addSql(`create index "autofix_applications_project_id_created_at_index" on "autofix_applications" ("project_id", "created_at");`);
    this.addSql(`alter table "autofix_applications" add constraint "autofix_applications_run_id_path_unique" unique ("run_id", "path");`);

    this.addSql(`alter table "autofix_applications" enable row level security;`);
    this.addSql(`alter table "autofix_applications" force row level security;`);
    this.addSql(`create policy "autofix_applications_select" on "autofix_applications" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "autofix_applications_insert" on "autofix_applications" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "autofix_applications_update" on "autofix_applications" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('autofix_applications', ['select', 'insert', 'update']));
  }

  override async down(): Promise<void> {
    // Destructive: forgets which patches were applied.
    this.addSql(`drop table if exists "autofix_applications" cascade;`);
  }
}
