import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * The policy library (docs/policies.md, decision 0023): documents, their immutable versions and
 * the versions' clauses (embedded, HNSW; full text, GIN), every table under RLS, every reference a
 * composite tenant key (the document's pointer to its latest version included, checked at commit).
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261203000050Policies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "policy_clauses" ("id" uuid not null, "tenant_id" uuid not null, "document_id" uuid not null, "version_id" uuid not null, "ordinal" int not null, "number" varchar(40) not null, "title" varchar(300) not null, "text" text not null, "controls" jsonb not null, "cwes" jsonb not null, "embedding" vector(1536) null, "embedder" varchar(64) not null default 'local-hash-v1', "embed_attempts" int not null default 0, "embed_retry_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "policy_clauses" is 'Clauses of policy versions: number, title, text, named controls and covered CWEs; embedded for search.';`);
    this.addSql(`create index "policy_clauses_tenant_id_index" on "policy_clauses" ("tenant_id");`);
    this.addSql(`create index "policy_clauses_embed_retry_at_index" on "policy_clauses" ("embed_retry_at");`);
    this.addSql(`create index "policy_clauses_version_id_ordinal_index" on "policy_clauses" ("version_id", "ordinal");`);
    this.addSql(`create index "policy_clauses_document_id_index" on "policy_clauses" ("document_id");`);
    this.addSql(`create index "policy_clauses_embedding_hnsw_index" on "policy_clauses" using hnsw ("embedding" vector_cosine_ops);`);
    this.addSql(`create index "policy_clauses_fts_index" on "policy_clauses" using gin (to_tsvector('english', "number" || ' ' || "title" || ' ' || "text"));`);
    this.addSql(`create table "policy_documents" ("id" uuid not null, "tenant_id" uuid not null, "key" varchar(63) not null, "title" varchar(300) not null, "latest_version" int not null, "latest_version_id" uuid not null, "starter" boolean not null default false, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "policy_documents" is 'A tenant''s policy documents (security, privacy), each with immutable versions split into clauses.';`);
    this.addSql(`create index "policy_documents_tenant_id_index" on "policy_documents" ("tenant_id");`);
    this.addSql(`create table "policy_versions" ("id" uuid not null, "tenant_id" uuid not null, "document_id" uuid not null, "version" int not null, "format" varchar(16) not null, "sha256" varchar(64) not null, "bytes" int not null, "text" text not null, "clause_count" int not null, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "policy_versions" is 'Immutable versions of a policy document: the extracted text and what it was uploaded as.';`);
    this.addSql(`create index "policy_versions_tenant_id_index" on "policy_versions" ("tenant_id");`);
    this.addSql(`alter table "policy_documents" add constraint "policy_documents_tenant_id_key_unique" unique ("tenant_id", "key");`);
    this.addSql(`alter table "policy_documents" add constraint "policy_documents_tenant_id_id_unique" unique ("tenant_id", "id");`);
    this.addSql(`alter table "policy_versions" add constraint "policy_versions_document_id_version_unique" unique ("document_id", "version");`);
    this.addSql(`alter table "policy_versions" add constraint "policy_versions_tenant_id_id_unique" unique ("tenant_id", "id");`);
    this.addSql(`alter table "policy_clauses" add constraint "policy_clauses_document_id_tenant_fk" foreign key ("tenant_id", "document_id") references "policy_documents" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "policy_clauses" add constraint "policy_clauses_version_id_tenant_fk" foreign key ("tenant_id", "version_id") references "policy_versions" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "policy_clauses" enable row level security;`);
    this.addSql(`alter table "policy_clauses" force row level security;`);
    this.addSql(`create policy "policy_clauses_select" on "policy_clauses" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_clauses_insert" on "policy_clauses" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_clauses_update" on "policy_clauses" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_clauses_delete" on "policy_clauses" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`alter table "policy_documents" add constraint "policy_documents_created_by_tenant_fk" foreign key ("tenant_id", "created_by") references "users" ("tenant_id", "id") on delete set null (created_by) deferrable initially deferred;`);
    this.addSql(`alter table "policy_documents" add constraint "policy_documents_latest_version_id_tenant_fk" foreign key ("tenant_id", "latest_version_id") references "policy_versions" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "policy_documents" enable row level security;`);
    this.addSql(`alter table "policy_documents" force row level security;`);
    this.addSql(`create policy "policy_documents_select" on "policy_documents" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_documents_insert" on "policy_documents" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_documents_update" on "policy_documents" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_documents_delete" on "policy_documents" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`alter table "policy_versions" add constraint "policy_versions_created_by_tenant_fk" foreign key ("tenant_id", "created_by") references "users" ("tenant_id", "id") on delete set null (created_by) deferrable initially deferred;`);
    this.addSql(`alter table "policy_versions" add constraint "policy_versions_document_id_tenant_fk" foreign key ("tenant_id", "document_id") references "policy_documents" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "policy_versions" enable row level security;`);
    this.addSql(`alter table "policy_versions" force row level security;`);
    this.addSql(`create policy "policy_versions_select" on "policy_versions" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_versions_insert" on "policy_versions" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "policy_versions_delete" on "policy_versions" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('policy_documents', ['select', 'insert', 'update', 'delete']));
    this.addSql(grantsFor('policy_versions', ['select', 'insert', 'delete']));
    this.addSql(grantsFor('policy_clauses', ['select', 'insert', 'update', 'delete']));
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "policy_clauses", "policy_versions", "policy_documents" cascade;`);
  }
}
