import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Incremental analysis (docs/decisions/0024-small-change-analysis.md).
 * - analysis_states: per project, the run, snapshot, rule set and analyzer version the findings
 *   table reflects; the next analysis with the same rules and version diffs manifests against it.
 * - findings.last_seen_run_id: the run that last reported a finding, so the findings of unchanged
 *   files are carried over by one update. Null on older rows: the first analysis after this
 *   migration has no state yet and runs in full, which fills it.
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261203000041IncrementalAnalysis extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "analysis_states" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "run_id" uuid not null, "snapshot_id" uuid not null, "rule_set" varchar(64) not null, "analyzer_version" varchar(64) not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "analysis_states" is 'Per project: the analysis run, snapshot, rule set and analyzer version the findings table reflects (the base of incremental analyses).';`);
    this.addSql(`create index "analysis_states_tenant_id_index" on "analysis_states" ("tenant_id");`);
    this.addSql(`alter table "analysis_states" add constraint "analysis_states_project_id_unique" unique ("project_id");`);
    for (const [column, target] of [['project_id', 'projects'], ['run_id', 'runs'], ['snapshot_id', 'snapshots']]) {
      this.addSql(`alter table "analysis_states" add constraint "analysis_states_${column}_tenant_fk" foreign key ("tenant_id", "${column}") references "${target}" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    }
    this.addSql(`alter table "analysis_states" enable row level security;`);
    this.addSql(`alter table "analysis_states" force row level security;`);
    const tenant = `tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid`;
    this.addSql(`create policy "analysis_states_select" on "analysis_states" for select to "nyx_app" using (${tenant});`);
    this.addSql(`create policy "analysis_states_insert" on "analysis_states" for insert to "nyx_app" with check (${tenant});`);
    this.addSql(`create policy "analysis_states_update" on "analysis_states" for update to "nyx_app" using (${tenant}) with check (${tenant});`);
    this.addSql(`create policy "analysis_states_delete" on "analysis_states" for delete to "nyx_app" using (${tenant});`);
    this.addSql(grantsFor('analysis_states', ['select', 'insert', 'update', 'delete']));

    this.addSql(`alter table "findings" add "last_seen_run_id" uuid null;`);
    this.addSql(`create index "findings_project_id_last_seen_run_id_index" on "findings" ("project_id", "last_seen_run_id");`);
    this.addSql(`alter table "findings" add constraint "findings_last_seen_run_id_tenant_fk" foreign key ("tenant_id", "last_seen_run_id") references "runs" ("tenant_id", "id") on delete set null (last_seen_run_id) deferrable initially deferred;`);
  }

  override async down(): Promise<void> {
    // Only the incremental bookkeeping goes: the next analysis runs in full.
    this.addSql(`alter table "findings" drop constraint if exists "findings_last_seen_run_id_tenant_fk";`);
    this.addSql(`drop index if exists "findings_project_id_last_seen_run_id_index";`);
    this.addSql(`alter table "findings" drop column "last_seen_run_id";`);
    this.addSql(`drop table if exists "analysis_states" cascade;`);
  }
}
