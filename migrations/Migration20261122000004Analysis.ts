import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Snapshots, analysis and GitHub sync (docs/analysis.md): blobs, snapshots, the analysis cache,
 * findings, code patterns (with their embedding and HNSW index), GitHub credentials, the git sha
 * map and completed syncs, each with row-level security. The SQL is what the ORM generates from
 * server/src/modules/analysis/*.entity.ts and server/src/modules/github/*.entity.ts (the drift
 * test holds them equal); grants are what the ORM does not model. Blobs, snapshots and syncs are
 * immutable for nyx_app (no update).
 */
export class Migration20261122000004Analysis extends Migration {
  override async up(): Promise<void> {
    // blobs: content-addressed file contents
    this.addSql(`create table "blobs" ("id" uuid not null, "tenant_id" uuid not null, "sha256" varchar(64) not null, "size" int not null, "is_binary" boolean not null default false, "content" bytea not null, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "blobs" is 'Content-addressed file contents (sha256 of the bytes) that snapshots point at; one per tenant and hash.';`);
    this.addSql(`create index "blobs_tenant_id_index" on "blobs" ("tenant_id");`);
    this.addSql(`alter table "blobs" add constraint "blobs_tenant_id_sha256_unique" unique ("tenant_id", "sha256");`);
    this.addSql(`alter table "blobs" enable row level security;`);
    this.addSql(`alter table "blobs" force row level security;`);
    this.addSql(`create policy "blobs_select" on "blobs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "blobs_insert" on "blobs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "blobs_delete" on "blobs" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('blobs', ['select', 'insert', 'delete']));

    // snapshots: manifests (path -> blob)
    this.addSql(`create table "snapshots" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "source" varchar(16) not null default 'workspace', "files" jsonb not null, "file_count" int not null, "total_bytes" bigint not null, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "snapshots" is 'A project''s files at one moment (manifest of path, sha256, size); analyses run on snapshots.';`);
    this.addSql(`create index "snapshots_tenant_id_index" on "snapshots" ("tenant_id");`);
    this.addSql(`create index "snapshots_project_id_created_at_index" on "snapshots" ("project_id", "created_at");`);
    this.addSql(`alter table "snapshots" enable row level security;`);
    this.addSql(`alter table "snapshots" force row level security;`);
    this.addSql(`create policy "snapshots_select" on "snapshots" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "snapshots_insert" on "snapshots" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "snapshots_delete" on "snapshots" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('snapshots', ['select', 'insert', 'delete']));

    // analysis_cache: built-in results per blob, path, analyzer version and rule set
    this.addSql(`create table "analysis_cache" ("id" uuid not null, "tenant_id" uuid not null, "cache_key" varchar(64) not null, "blob_sha256" varchar(64) not null, "analyzer_version" varchar(64) not null, "rule_set" varchar(64) not null, "findings" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "analysis_cache" is 'Built-in analyzer results per (blob sha256, path, analyzer version, rule set); re-analysis of unchanged files reads them.';`);
    this.addSql(`create index "analysis_cache_tenant_id_index" on "analysis_cache" ("tenant_id");`);
    this.addSql(`alter table "analysis_cache" add constraint "analysis_cache_tenant_id_cache_key_unique" unique ("tenant_id", "cache_key");`);
    this.addSql(`alter table "analysis_cache" enable row level security;`);
    this.addSql(`alter table "analysis_cache" force row level security;`);
    this.addSql(`create policy "analysis_cache_select" on "analysis_cache" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "analysis_cache_insert" on "analysis_cache" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "analysis_cache_update" on "analysis_cache" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "analysis_cache_delete" on "analysis_cache" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('analysis_cache', ['select', 'insert', 'update', 'delete']));

    // findings: upserted by fingerprint
    this.addSql(`create table "findings" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "path" varchar(1024) not null, "rule_id" varchar(200) not null, "severity" varchar(16) not null default 'warning', "message" text not null, "start_line" int not null, "start_column" int not null, "end_line" int not null, "end_column" int not null, "fix" jsonb null, "fingerprint" varchar(64) not null, "snippet" varchar(300) not null default '', "source" varchar(16) not null default 'builtin', "status" varchar(16) not null default 'open', "dismissed_by" uuid null, "dismissed_reason" text null, "dismissed_at" timestamptz null, "first_seen_snapshot_id" uuid not null, "last_seen_snapshot_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "findings" is 'Findings of a project, upserted by fingerprint: open, fixed (no longer reported) or dismissed by a teammate.';`);
    this.addSql(`create index "findings_tenant_id_index" on "findings" ("tenant_id");`);
    this.addSql(`create index "findings_project_id_status_path_index" on "findings" ("project_id", "status", "path");`);
    this.addSql(`alter table "findings" add constraint "findings_project_id_fingerprint_unique" unique ("project_id", "fingerprint");`);
    this.addSql(`alter table "findings" enable row level security;`);
    this.addSql(`alter table "findings" force row level security;`);
    this.addSql(`create policy "findings_select" on "findings" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "findings_insert" on "findings" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "findings_update" on "findings" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "findings_delete" on "findings" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('findings', ['select', 'insert', 'update', 'delete']));

    // code_patterns: recurring issues with a vector(1536) and an HNSW index
    this.addSql(`create table "code_patterns" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "rule_id" varchar(200) not null, "title" varchar(200) not null, "severity" varchar(16) not null default 'warning', "count" int not null default 0, "examples" jsonb not null default '[]', "embedding" vector(1536) not null, "embedder" varchar(64) not null default 'local-hash-v1', "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "code_patterns" is 'Recurring issues per project and rule (open finding count, examples), with an embedding for semantic search.';`);
    this.addSql(`create index "code_patterns_tenant_id_index" on "code_patterns" ("tenant_id");`);
    this.addSql(`create index "code_patterns_embedding_hnsw_index" on "code_patterns" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`alter table "code_patterns" add constraint "code_patterns_project_id_rule_id_unique" unique ("project_id", "rule_id");`);
    this.addSql(`alter table "code_patterns" enable row level security;`);
    this.addSql(`alter table "code_patterns" force row level security;`);
    this.addSql(`create policy "code_patterns_select" on "code_patterns" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "code_patterns_insert" on "code_patterns" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "code_patterns_update" on "code_patterns" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "code_patterns_delete" on "code_patterns" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('code_patterns', ['select', 'insert', 'update', 'delete']));

    // github_credentials: tokens: ciphertext only (SecretBox)
    this.addSql(`create table "github_credentials" ("id" uuid not null, "tenant_id" uuid not null, "encrypted_token" text not null, "token_hint" varchar(16) null, "base_url" varchar(2000) null, "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "github_credentials" is 'A tenant''s GitHub token (encrypted at rest) and API base URL; one per tenant.';`);
    this.addSql(`create index "github_credentials_tenant_id_index" on "github_credentials" ("tenant_id");`);
    this.addSql(`alter table "github_credentials" add constraint "github_credentials_tenant_id_unique" unique ("tenant_id");`);
    this.addSql(`alter table "github_credentials" enable row level security;`);
    this.addSql(`alter table "github_credentials" force row level security;`);
    this.addSql(`create policy "github_credentials_select" on "github_credentials" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_credentials_insert" on "github_credentials" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_credentials_update" on "github_credentials" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_credentials_delete" on "github_credentials" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('github_credentials', ['select', 'insert', 'update', 'delete']));

    // github_blobs: git sha -> sha256
    this.addSql(`create table "github_blobs" ("id" uuid not null, "tenant_id" uuid not null, "git_sha" varchar(40) not null, "sha256" varchar(64) null, "size" int not null, "skipped" varchar(16) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "github_blobs" is 'Git blob sha -> stored blob sha256 (or why it was skipped), so syncs fetch only changed blobs.';`);
    this.addSql(`create index "github_blobs_tenant_id_index" on "github_blobs" ("tenant_id");`);
    this.addSql(`alter table "github_blobs" add constraint "github_blobs_tenant_id_git_sha_unique" unique ("tenant_id", "git_sha");`);
    this.addSql(`alter table "github_blobs" enable row level security;`);
    this.addSql(`alter table "github_blobs" force row level security;`);
    this.addSql(`create policy "github_blobs_select" on "github_blobs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_blobs_insert" on "github_blobs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_blobs_update" on "github_blobs" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_blobs_delete" on "github_blobs" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('github_blobs', ['select', 'insert', 'update', 'delete']));

    // github_syncs: completed syncs; previous_sync_id deliberately not unique
    this.addSql(`create table "github_syncs" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "run_id" uuid not null, "previous_sync_id" uuid null, "owner" varchar(100) not null, "repo" varchar(100) not null, "branch" varchar(255) not null, "scan_path" varchar(500) not null default '', "commit_sha" varchar(40) not null, "snapshot_id" uuid not null, "files" int not null default 0, "fetched" int not null default 0, "reused" int not null default 0, "skipped" int not null default 0, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "github_syncs" is 'Completed GitHub imports/syncs of a project: commit, snapshot, what was fetched and reused.';`);
    this.addSql(`create index "github_syncs_tenant_id_index" on "github_syncs" ("tenant_id");`);
    this.addSql(`create index "github_syncs_project_id_created_at_index" on "github_syncs" ("project_id", "created_at");`);
    this.addSql(`alter table "github_syncs" enable row level security;`);
    this.addSql(`alter table "github_syncs" force row level security;`);
    this.addSql(`create policy "github_syncs_select" on "github_syncs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_syncs_insert" on "github_syncs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "github_syncs_delete" on "github_syncs" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('github_syncs', ['select', 'insert', 'delete']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every uploaded file, snapshot, finding (with dismissals), pattern, GitHub token and sync record.
    this.addSql(`drop table if exists "github_syncs", "github_blobs", "github_credentials", "code_patterns", "findings", "analysis_cache", "snapshots", "blobs" cascade;`);
  }
}
