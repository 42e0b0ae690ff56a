import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * The AI team (docs/team.md): personas, discussions with their transcripts, versioned workflows,
 * workflow step outputs and workflow insights (vector(1536) with an HNSW index), each with
 * row-level security. The SQL is what the ORM generates from server/src/modules/{personas,
 * discussions,workflows}/*.entity.ts (the drift test holds them equal); grants are what the ORM
 * does not model. Workflow versions and insights are immutable for nyx_app (no update).
 */
export class Migration20261122000005Team extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "discussions" ("id" uuid not null, "tenant_id" uuid not null, "run_id" uuid not null, "project_id" uuid not null, "topic" text not null, "mode" varchar(16) not null default 'debate', "rounds" int not null default 1, "persona_ids" jsonb not null default '[]', "synthesis" jsonb null, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "discussions" is 'Discussions between personas: one per discussion run, with the synthesis once written.';`);
    this.addSql(`create index "discussions_tenant_id_index" on "discussions" ("tenant_id");`);
    this.addSql(`create index "discussions_project_id_created_at_index" on "discussions" ("project_id", "created_at");`);
    this.addSql(`alter table "discussions" add constraint "discussions_run_id_unique" unique ("run_id");`);

    this.addSql(`create table "discussion_turns" ("id" uuid not null, "tenant_id" uuid not null, "run_id" uuid not null, "round" int not null, "turn" int not null, "persona_id" uuid not null, "persona_name" varchar(100) not null, "content" text not null, "provider" varchar(32) null, "model" varchar(200) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "discussion_turns" is 'Transcript of a discussion: one row per persona turn, in order.';`);
    this.addSql(`create index "discussion_turns_tenant_id_index" on "discussion_turns" ("tenant_id");`);
    this.addSql(`alter table "discussion_turns" add constraint "discussion_turns_run_id_turn_unique" unique ("run_id", "turn");`);

    this.addSql(`create table "personas" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(100) not null, "role" varchar(120) not null, "description" text not null default '', "traits" jsonb not null default '[]', "specializations" jsonb not null default '[]', "specializations_source" varchar(16) not null default 'auto', "level" varchar(16) not null default 'senior', "system_prompt" text not null default '', "default_model" varchar(200) null, "built_in_key" varchar(64) null, "portrait_type" varchar(32) null, "portrait_data" bytea null, "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "personas" is 'AI team personas shared by the tenant: built-in library (read-only) and the team''s own.';`);
    this.addSql(`create index "personas_tenant_id_index" on "personas" ("tenant_id");`);
    this.addSql(`alter table "personas" add constraint "personas_tenant_id_built_in_key_unique" unique ("tenant_id", "built_in_key");`);

    this.addSql(`create table "workflows" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(100) not null, "description" text not null default '', "current_version" int not null default 1, "built_in_key" varchar(64) null, "source" varchar(16) not null default 'api', "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "workflows" is 'Workflow definitions shared by the tenant; each save adds a version in workflow_versions.';`);
    this.addSql(`create index "workflows_tenant_id_index" on "workflows" ("tenant_id");`);
    this.addSql(`alter table "workflows" add constraint "workflows_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(`alter table "workflows" add constraint "workflows_tenant_id_built_in_key_unique" unique ("tenant_id", "built_in_key");`);

    this.addSql(`create table "workflow_insights" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "workflow_id" uuid not null, "run_id" uuid not null, "title" varchar(200) not null, "content" text not null, "embedding" vector(1536) not null, "embedder" varchar(64) not null default 'local-hash-v1', "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "workflow_insights" is 'Insights extracted from workflow runs, with embeddings for semantic retrieval.';`);
    this.addSql(`create index "workflow_insights_tenant_id_index" on "workflow_insights" ("tenant_id");`);
    this.addSql(`create index "workflow_insights_project_id_embedder_index" on "workflow_insights" ("project_id", "embedder");`);
    this.addSql(`create index "workflow_insights_embedding_hnsw_index" on "workflow_insights" using hnsw ("embedding" vector_cosine_ops);`);

    this.addSql(`create table "workflow_step_outputs" ("id" uuid not null, "tenant_id" uuid not null, "run_id" uuid not null, "step_index" int not null, "step_name" varchar(63) not null, "persona_id" uuid null, "output" text not null, "injected" jsonb not null default '[]', "provider" varchar(32) null, "model" varchar(200) null, "reused_from_run_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "workflow_step_outputs" is 'Outputs of workflow run steps; a retry copies the ones before the failed step (reused_from_run_id).';`);
    this.addSql(`create index "workflow_step_outputs_tenant_id_index" on "workflow_step_outputs" ("tenant_id");`);
    this.addSql(`alter table "workflow_step_outputs" add constraint "workflow_step_outputs_run_id_step_index_unique" unique ("run_id", "step_index");`);

    this.addSql(`create table "workflow_versions" ("id" uuid not null, "tenant_id" uuid not null, "workflow_id" uuid not null, "version" int not null, "name" varchar(100) not null, "description" text not null default '', "steps" jsonb not null, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "workflow_versions" is 'Immutable versions of workflow definitions (ordered steps); runs pin one.';`);
    this.addSql(`create index "workflow_versions_tenant_id_index" on "workflow_versions" ("tenant_id");`);
    this.addSql(`alter table "workflow_versions" add constraint "workflow_versions_workflow_id_version_unique" unique ("workflow_id", "version");`);

    this.addSql(`alter table "discussions" enable row level security;`);
    this.addSql(`alter table "discussions" force row level security;`);
    this.addSql(`create policy "discussions_select" on "discussions" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussions_insert" on "discussions" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussions_update" on "discussions" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussions_delete" on "discussions" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "discussion_turns" enable row level security;`);
    this.addSql(`alter table "discussion_turns" force row level security;`);
    this.addSql(`create policy "discussion_turns_select" on "discussion_turns" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussion_turns_insert" on "discussion_turns" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussion_turns_update" on "discussion_turns" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "discussion_turns_delete" on "discussion_turns" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "personas" enable row level security;`);
    this.addSql(`alter table "personas" force row level security;`);
    this.addSql(`create policy "personas_select" on "personas" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "personas_insert" on "personas" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "personas_update" on "personas" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "personas_delete" on "personas" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "workflows" enable row level security;`);
    this.addSql(`alter table "workflows" force row level security;`);
    this.addSql(`create policy "workflows_select" on "workflows" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflows_insert" on "workflows" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflows_update" on "workflows" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflows_delete" on "workflows" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "workflow_insights" enable row level security;`);
    this.addSql(`alter table "workflow_insights" force row level security;`);
    this.addSql(`create policy "workflow_insights_select" on "workflow_insights" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_insights_insert" on "workflow_insights" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_insights_delete" on "workflow_insights" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "workflow_step_outputs" enable row level security;`);
    this.addSql(`alter table "workflow_step_outputs" force row level security;`);
    this.addSql(`create policy "workflow_step_outputs_select" on "workflow_step_outputs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_step_outputs_insert" on "workflow_step_outputs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_step_outputs_update" on "workflow_step_outputs" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_step_outputs_delete" on "workflow_step_outputs" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(`alter table "workflow_versions" enable row level security;`);
    this.addSql(`alter table "workflow_versions" force row level security;`);
    this.addSql(`create policy "workflow_versions_select" on "workflow_versions" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_versions_insert" on "workflow_versions" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "workflow_versions_delete" on "workflow_versions" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);

    this.addSql(grantsFor('discussions', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('discussion_turns', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('personas', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('workflows', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('workflow_insights', ['select', 'insert', 'delete']));
    this.addSql(grantsFor('workflow_step_outputs', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('workflow_versions', ['select', 'insert', 'delete']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every persona, discussion transcript, workflow (all versions), step output and insight.
    this.addSql(`drop table if exists "workflow_insights", "workflow_step_outputs", "workflow_versions", "workflows", "discussion_turns", "discussions", "personas" cascade;`);
  }
}
