import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Knowledge (docs/reports-and-notes.md): reports, notes, memory entries and digests, each with
 * row-level security. The SQL is what the ORM generates from server/src/modules/{reports,notes,
 * memory,digests}/*.entity.ts (the drift test holds them equal); grants are what the ORM does not
 * model. Vectors are vector(1536) with HNSW (cosine); full-text search uses GIN indexes on the
 * same to_tsvector expressions the queries use.
 */
export class Migration20261122000006Knowledge extends Migration {
  override async up(): Promise<void> {
    // reports: Reports of runs and on-demand reports: one per run (run_id unique).
    this.addSql(`create table "reports" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "run_id" uuid null, "kind" varchar(32) not null default 'analysis', "title" varchar(300) not null, "markdown" text not null, "metadata" jsonb not null default '{}', "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "reports" is 'Reports of runs and on-demand reports (Markdown body, metadata), exported as Markdown or PDF.';`);
    this.addSql(`create index "reports_tenant_id_index" on "reports" ("tenant_id");`);
    this.addSql(`create index "reports_project_id_created_at_index" on "reports" ("project_id", "created_at");`);
    this.addSql(`alter table "reports" add constraint "reports_run_id_unique" unique ("run_id");`);
    this.addSql(`alter table "reports" enable row level security;`);
    this.addSql(`alter table "reports" force row level security;`);
    this.addSql(`create policy "reports_select" on "reports" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "reports_insert" on "reports" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "reports_update" on "reports" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "reports_delete" on "reports" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('reports', ['select', 'insert', 'update', 'delete']));

    // notes: Project notes with an embedding (HNSW) and a full-text GIN index on title and body.
    this.addSql(`create table "notes" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "title" varchar(300) not null, "body" text not null default '', "location" jsonb null, "embedding" vector(1536) not null, "embedder" varchar(64) not null default 'local-hash-v1', "enrichment" jsonb null, "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "notes" is 'Project notes (optionally on a file range), embedded for search, with their latest enrichment.';`);
    this.addSql(`create index "notes_tenant_id_index" on "notes" ("tenant_id");`);
    this.addSql(`create index "notes_project_id_created_at_index" on "notes" ("project_id", "created_at");`);
    this.addSql(`create index "notes_embedding_hnsw_index" on "notes" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`create index "notes_fts_index" on "notes" using gin (to_tsvector('english', "title" || ' ' || "body"));`);
    this.addSql(`alter table "notes" enable row level security;`);
    this.addSql(`alter table "notes" force row level security;`);
    this.addSql(`create policy "notes_select" on "notes" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "notes_insert" on "notes" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "notes_update" on "notes" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "notes_delete" on "notes" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('notes', ['select', 'insert', 'update', 'delete']));

    // memory_entries: Project memory with an embedding (HNSW) and a full-text GIN index on its text.
    this.addSql(`create table "memory_entries" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "kind" varchar(16) not null default 'fact', "text" text not null, "source" varchar(16) not null default 'user', "source_run_id" uuid null, "embedding" vector(1536) not null, "embedder" varchar(64) not null default 'local-hash-v1', "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "memory_entries" is 'Project memory: decisions, conventions and facts from people and runs, embedded for search.';`);
    this.addSql(`create index "memory_entries_tenant_id_index" on "memory_entries" ("tenant_id");`);
    this.addSql(`create index "memory_entries_project_id_created_at_index" on "memory_entries" ("project_id", "created_at");`);
    this.addSql(`create index "memory_entries_embedding_hnsw_index" on "memory_entries" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`create index "memory_entries_fts_index" on "memory_entries" using gin (to_tsvector('english', "text"));`);
    this.addSql(`alter table "memory_entries" enable row level security;`);
    this.addSql(`alter table "memory_entries" force row level security;`);
    this.addSql(`create policy "memory_entries_select" on "memory_entries" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "memory_entries_insert" on "memory_entries" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "memory_entries_update" on "memory_entries" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "memory_entries_delete" on "memory_entries" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('memory_entries', ['select', 'insert', 'update', 'delete']));

    // digests: Activity digests: one per digest run (run_id unique).
    this.addSql(`create table "digests" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "run_id" uuid not null, "report_id" uuid not null, "period_start" timestamptz not null, "period_end" timestamptz not null, "title" varchar(300) not null, "markdown" text not null, "summary" jsonb not null, "status" varchar(16) not null default 'draft', "model" varchar(200) null, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "published_at" timestamptz null, primary key ("id"));`);
    this.addSql(`comment on table "digests" is 'Activity digests of a project period: blog-style Markdown, JSON summary, draft or published.';`);
    this.addSql(`create index "digests_tenant_id_index" on "digests" ("tenant_id");`);
    this.addSql(`create index "digests_project_id_period_end_index" on "digests" ("project_id", "period_end");`);
    this.addSql(`alter table "digests" add constraint "digests_run_id_unique" unique ("run_id");`);
    this.addSql(`alter table "digests" enable row level security;`);
    this.addSql(`alter table "digests" force row level security;`);
    this.addSql(`create policy "digests_select" on "digests" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "digests_insert" on "digests" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "digests_update" on "digests" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "digests_delete" on "digests" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('digests', ['select', 'insert', 'update', 'delete']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every report, note, memory entry and digest.
    this.addSql(`drop table if exists "digests", "memory_entries", "notes", "reports" cascade;`);
  }
}
