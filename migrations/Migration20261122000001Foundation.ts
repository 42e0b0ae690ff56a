import { Migration } from '@mikro-orm/migrations';
import { enableTenantRls, tenantRlsDown } from './rls.ts';

/** Tenants, users, API tokens, projects, audit and security events; the nyx_app role and RLS. */
export class Migration20261122000001Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
do $$ begin
  if not exists (select from pg_roles where rolname = 'nyx_app') then
    -- Request work runs as this role: not the owner, not superuser, no bypassrls, cannot log in.
    create role nyx_app nologin nosuperuser nobypassrls;
  end if;
end $$;`);
    this.addSql(`grant nyx_app to current_user;`);
    this.addSql(`grant usage on schema public to nyx_app;`);

    this.addSql(`create table "tenants" ("id" uuid not null, "name" varchar(200) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "tenants" is 'A team. Every tenant-owned row carries its id.';`);

    this.addSql(`create table "users" ("id" uuid not null, "tenant_id" uuid not null, "email" varchar(320) not null, "display_name" varchar(200) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "users_tenant_id_index" on "users" ("tenant_id");`);
    this.addSql(`alter table "users" add constraint "users_tenant_id_email_unique" unique ("tenant_id", "email");`);
    this.addSql(`comment on table "users" is 'People of a tenant; recorded as authors, never used to filter access.';`);

    this.addSql(`create table "api_tokens" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "name" varchar(200) not null, "prefix" varchar(16) not null, "token_hash" varchar(64) not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "api_tokens_tenant_id_index" on "api_tokens" ("tenant_id");`);
    this.addSql(`create index "api_tokens_user_id_index" on "api_tokens" ("user_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`comment on table "api_tokens" is 'Bearer tokens; only the SHA-256 hash is stored.';`);

    this.addSql(`create table "projects" ("id" uuid not null, "tenant_id" uuid not null, "name" varchar(200) not null, "description" text not null default '', "github_owner" varchar(100) null, "github_repo" varchar(100) null, "github_branch" varchar(255) null, "scan_path" varchar(500) not null default '', "settings" jsonb not null default '{}', "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "projects_tenant_id_index" on "projects" ("tenant_id");`);
    this.addSql(`comment on table "projects" is 'A codebase the team works on, optionally linked to a GitHub repository.';`);

    this.addSql(`create table "audit_events" ("id" uuid not null, "tenant_id" uuid not null, "actor_user_id" uuid null, "action" varchar(64) not null, "entity_type" varchar(64) not null, "entity_id" uuid not null, "data" jsonb null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "audit_events_tenant_id_index" on "audit_events" ("tenant_id");`);
    this.addSql(`comment on table "audit_events" is 'Append-only: who did what to which row.';`);

    this.addSql(`create table "security_events" ("id" uuid not null, "tenant_id" uuid null, "actor_user_id" uuid null, "kind" varchar(64) not null, "target" varchar(300) null, "detail" jsonb null, "remote_address" varchar(100) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "security_events_tenant_id_index" on "security_events" ("tenant_id");`);
    this.addSql(`comment on table "security_events" is 'Auth failures and cross-tenant attempts, written by the system context only.';`);

    // The tenants table is keyed by id, not tenant_id: a tenant may only see its own row.
    this.addSql(`alter table "tenants" enable row level security;`);
    this.addSql(`alter table "tenants" force row level security;`);
    this.addSql(`create policy tenants_select on "tenants" for select to nyx_app using (id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`grant select on "tenants" to nyx_app;`);

    for (const sql of enableTenantRls('users', ['select', 'insert', 'update', 'delete'])) this.addSql(sql);
    for (const sql of enableTenantRls('api_tokens', ['select', 'insert', 'update', 'delete'])) this.addSql(sql);
    for (const sql of enableTenantRls('projects', ['select', 'insert', 'update', 'delete'])) this.addSql(sql);
    for (const sql of enableTenantRls('audit_events', ['select', 'insert'])) this.addSql(sql);
    for (const sql of enableTenantRls('security_events', ['select'])) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const table of ['security_events', 'audit_events', 'projects', 'api_tokens', 'users']) {
      for (const sql of tenantRlsDown(table)) this.addSql(sql);
    }
    // Destructive: drops every table this migration created, with their data.
    this.addSql(`drop table if exists "security_events", "audit_events", "projects", "api_tokens", "users", "tenants" cascade;`);
  }
}
