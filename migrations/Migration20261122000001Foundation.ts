import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Tenants, users, API tokens, projects, audit and security events; the nyx_app role; row-level
 * security. The table and policy SQL is what the ORM generates from the entities (the drift test
 * holds them equal); grants and the role are what the ORM does not model.
 */
export class Migration20261122000001Foundation extends Migration {
  override async up(): Promise<void> {
    // Vectors (memory, insights, code patterns) need pgvector; creating it needs a superuser once.
    this.addSql(`create extension if not exists vector;`);
    this.addSql(`do $$ begin
  if not exists (select from pg_roles where rolname = 'nyx_app') then
    -- Request work runs as this role: not the owner, not superuser, no bypassrls, cannot log in.
    create role nyx_app nologin nosuperuser nobypassrls;
  end if;
end $$;`);
    this.addSql(`grant nyx_app to current_user;`);
    this.addSql(`grant usage on schema public to nyx_app;`);

    // tenants
    this.addSql(`create table "tenants" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "tenants" is 'A team. Every tenant-owned row carries its id.';`);
    this.addSql(`alter table "tenants" enable row level security;`);
    this.addSql(`alter table "tenants" force row level security;`);
    this.addSql(`create policy "tenants_select" on "tenants" for select to "nyx_app" using (id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('tenants', ['select']));

    // users
    this.addSql(`create table "users" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(320) not null, "display_name" varchar(200) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "users" is 'People of a tenant; recorded as authors, never used to filter access.';`);
    this.addSql(`create index "users_tenant_id_index" on "users" ("tenant_id");`);
    this.addSql(`alter table "users" add constraint "users_tenant_id_email_unique" unique ("tenant_id", "email");`);
    this.addSql(`alter table "users" enable row level security;`);
    this.addSql(`alter table "users" force row level security;`);
    this.addSql(`create policy "users_select" on "users" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "users_insert" on "users" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "users_update" on "users" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "users_delete" on "users" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('users', ['select', 'insert', 'update', 'delete']));

    // api_tokens
    this.addSql(`create table "api_tokens" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "name" varchar(200) not null, "prefix" varchar(16) not null, "token_hash" varchar(64) not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "api_tokens" is 'Bearer tokens; only the SHA-256 hash is stored.';`);
    this.addSql(`create index "api_tokens_tenant_id_index" on "api_tokens" ("tenant_id");`);
    this.addSql(`create index "api_tokens_user_id_index" on "api_tokens" ("user_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "api_tokens" enable row level security;`);
    this.addSql(`alter table "api_tokens" force row level security;`);
    this.addSql(`create policy "api_tokens_select" on "api_tokens" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "api_tokens_insert" on "api_tokens" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "api_tokens_update" on "api_tokens" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "api_tokens_delete" on "api_tokens" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('api_tokens', ['select', 'insert', 'update', 'delete']));

    // projects
    this.addSql(`create table "projects" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "description" text not null default '', "github_owner" varchar(100) null, "github_repo" varchar(100) null, "github_branch" varchar(255) null, "scan_path" varchar(500) not null default '', "settings" jsonb not null default '{}', "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "projects" is 'A codebase the team works on, optionally linked to a GitHub repository.';`);
    this.addSql(`create index "projects_tenant_id_index" on "projects" ("tenant_id");`);
    this.addSql(`alter table "projects" enable row level security;`);
    this.addSql(`alter table "projects" force row level security;`);
    this.addSql(`create policy "projects_select" on "projects" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "projects_insert" on "projects" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "projects_update" on "projects" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "projects_delete" on "projects" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('projects', ['select', 'insert', 'update', 'delete']));

    // audit_events
    this.addSql(`create table "audit_events" ("id" uuid not null, "tenant_id" uuid not null, "actor_user_id" uuid null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" uuid not null, "data" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "audit_events" is 'Append-only: who did what to which row.';`);
    this.addSql(`create index "audit_events_tenant_id_index" on "audit_events" ("tenant_id");`);
    this.addSql(`alter table "audit_events" enable row level security;`);
    this.addSql(`alter table "audit_events" force row level security;`);
    this.addSql(`create policy "audit_events_select" on "audit_events" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "audit_events_insert" on "audit_events" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('audit_events', ['select', 'insert']));

    // security_events
    this.addSql(`create table "security_events" ("id" uuid not null, "tenant_id" uuid null, "actor_user_id" uuid null, "kind" varchar(64) not null, "target" varchar(300) null, "detail" jsonb null, "remote_address" varchar(100) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "security_events" is 'Auth failures and cross-tenant attempts, written by the system context only.';`);
    this.addSql(`create index "security_events_tenant_id_index" on "security_events" ("tenant_id");`);
    this.addSql(`alter table "security_events" enable row level security;`);
    this.addSql(`alter table "security_events" force row level security;`);
    this.addSql(`create policy "security_events_select" on "security_events" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('security_events', ['select']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every table this migration created, with their data (policies go with them).
    this.addSql(`drop table if exists "security_events", "audit_events", "projects", "api_tokens", "users", "tenants" cascade;`);
  }
}
