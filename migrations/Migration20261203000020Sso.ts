import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Single sign-on with OpenID Connect (issue #17, docs/decisions/0019-single-sign-on.md).
 * - api_tokens.kind: `personal` for every existing token; single sign-on issues `session` tokens,
 *   which always expire.
 * - sso_configs: one identity provider per tenant (client secret sealed with the server key).
 * - sso_logins: sign-ins in flight, looked up by hashes of random values the server generates
 *   (plain indexes: a collision of 256-bit random values is not a case to design for).
 * - sso_sessions: the session token in use and the hash of the refresh token that renews it.
 * Every table has row-level security like the rest; the sign-in steps themselves run in the system
 * context (no tenant is known before the state is matched). The SQL is what the ORM generates
 * from server/src/modules/sso/*.entity.ts (the drift test holds them equal).
 */
export class Migration20261203000020Sso extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_tokens" add column "kind" varchar(16) not null default 'personal';`);
    this.addSql(`create table "sso_configs" ("id" uuid not null, "tenant_id" uuid not null, "issuer_url" varchar(500) not null, "client_id" varchar(300) not null, "client_secret_sealed" text null, "scopes" jsonb not null default '["openid","email","profile"]', "groups_claim" varchar(100) not null default 'groups', "group_roles" jsonb not null default '{}', "default_role" varchar(16) null default 'member', "allow_signup" boolean not null default false, "session_hours" int not null default 12, "refresh_days" int not null default 30, "redirect_origins" jsonb not null default '[]', "enabled" boolean not null default true, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "sso_configs" is 'Single sign-on (OpenID Connect) settings of a tenant; the client secret is encrypted.';`);
    this.addSql(`create index "sso_configs_tenant_id_index" on "sso_configs" ("tenant_id");`);
    this.addSql(`alter table "sso_configs" add constraint "sso_configs_tenant_id_unique" unique ("tenant_id");`);
    this.addSql(`create table "sso_logins" ("id" uuid not null, "tenant_id" uuid not null, "state_hash" varchar(64) not null, "nonce" varchar(100) not null, "code_verifier" varchar(128) null, "callback_url" varchar(600) not null, "client_redirect" varchar(2000) not null, "client_state" varchar(200) not null, "handoff_challenge" varchar(43) not null, "handoff_hash" varchar(64) null, "user_id" uuid null, "subject" varchar(300) null, "idp_refresh_sealed" text null, "expires_at" timestamptz not null, "completed_at" timestamptz null, "consumed_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "sso_logins" is 'Single sign-ons in flight: state, nonce and PKCE verifier towards the IdP, the handoff towards the client.';`);
    this.addSql(`create index "sso_logins_tenant_id_index" on "sso_logins" ("tenant_id");`);
    this.addSql(`create index "sso_logins_state_hash_index" on "sso_logins" ("state_hash");`);
    this.addSql(`create index "sso_logins_handoff_hash_index" on "sso_logins" ("handoff_hash");`);
    this.addSql(`create index "sso_logins_expires_at_index" on "sso_logins" ("expires_at");`);
    this.addSql(`create table "sso_sessions" ("id" uuid not null, "tenant_id" uuid not null, "user_id" uuid not null, "token_id" uuid not null, "refresh_hash" varchar(64) not null, "previous_refresh_hash" varchar(64) null, "idp_refresh_sealed" text null, "subject" varchar(300) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "refreshed_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "sso_sessions" is 'Single sign-on sessions: the current session token and the (hashed) refresh token that renews it.';`);
    this.addSql(`create index "sso_sessions_tenant_id_index" on "sso_sessions" ("tenant_id");`);
    this.addSql(`create index "sso_sessions_user_id_index" on "sso_sessions" ("user_id");`);
    this.addSql(`create index "sso_sessions_refresh_hash_index" on "sso_sessions" ("refresh_hash");`);
    this.addSql(`create index "sso_sessions_previous_refresh_hash_index" on "sso_sessions" ("previous_refresh_hash");`);
    this.addSql(`create index "sso_sessions_token_id_index" on "sso_sessions" ("token_id");`);
    this.addSql(`alter table "sso_configs" add constraint "sso_configs_updated_by_tenant_fk" foreign key ("tenant_id", "updated_by") references "users" ("tenant_id", "id") on delete set null (updated_by) deferrable initially deferred;`);
    this.addSql(`alter table "sso_configs" enable row level security;`);
    this.addSql(`alter table "sso_configs" force row level security;`);
    this.addSql(`create policy "sso_configs_select" on "sso_configs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_configs_insert" on "sso_configs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_configs_update" on "sso_configs" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_configs_delete" on "sso_configs" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`alter table "sso_logins" add constraint "sso_logins_user_id_tenant_fk" foreign key ("tenant_id", "user_id") references "users" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "sso_logins" enable row level security;`);
    this.addSql(`alter table "sso_logins" force row level security;`);
    this.addSql(`create policy "sso_logins_select" on "sso_logins" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_logins_insert" on "sso_logins" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_logins_update" on "sso_logins" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_logins_delete" on "sso_logins" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`alter table "sso_sessions" add constraint "sso_sessions_user_id_tenant_fk" foreign key ("tenant_id", "user_id") references "users" ("tenant_id", "id") on delete cascade deferrable initially deferred;`);
    this.addSql(`alter table "sso_sessions" enable row level security;`);
    this.addSql(`alter table "sso_sessions" force row level security;`);
    this.addSql(`create policy "sso_sessions_select" on "sso_sessions" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_sessions_insert" on "sso_sessions" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_sessions_update" on "sso_sessions" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "sso_sessions_delete" on "sso_sessions" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    for (const table of ['sso_configs', 'sso_logins', 'sso_sessions']) this.addSql(grantsFor(table, ['select', 'insert', 'update', 'delete']));
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sso_sessions" cascade;`);
    this.addSql(`drop table if exists "sso_logins" cascade;`);
    this.addSql(`drop table if exists "sso_configs" cascade;`);
    this.addSql(`alter table "api_tokens" drop column "kind";`);
  }
}
