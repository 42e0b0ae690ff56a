import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

const TENANT = `tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid`;

/**
 * Roles, scoped and expiring tokens, invitations and a readable audit log (issue #17,
 * docs/decisions/0018-roles-and-team-admin.md).
 * - users.role: the first user of each tenant (oldest, then smallest id) becomes its owner, every
 *   other existing user a member. Before this, every user could do everything; after it, someone
 *   can still do everything in each team, and that someone promotes the others deliberately.
 * - users.removed_at: removing a member keeps the row, so the audit log still names them.
 * - api_tokens.scope defaults to `admin` (the user's whole role): existing tokens keep acting as
 *   their user did. api_tokens.expires_at null: never expires, as before.
 * - invitations: one-time codes, hashed, with the role they grant.
 * - audit_events.remote_address, and an index to read a tenant's events newest first.
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261203000010TeamAdmin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "role" varchar(16) not null default 'member', add column "removed_at" timestamptz null;`);
    this.addSql(
      `update "users" set "role" = 'owner' where "id" in (select distinct on ("tenant_id") "id" from "users" order by "tenant_id", "created_at", "id");`,
    );
    this.addSql(`alter table "api_tokens" add column "scope" varchar(16) not null default 'admin', add column "expires_at" timestamptz null;`);
    this.addSql(`alter table "audit_events" add column "remote_address" varchar(100) null;`);
    this.addSql(`create index "audit_events_tenant_id_created_at_index" on "audit_events" ("tenant_id", "created_at");`);

    this.addSql(
      `create table "invitations" ("id" uuid not null, "tenant_id" uuid not null, "role" varchar(16) not null default 'member', "email" varchar(320) null, "code_hash" varchar(64) not null, "prefix" varchar(16) not null, "expires_at" timestamptz not null, "created_by" uuid null, "accepted_at" timestamptz null, "accepted_user_id" uuid null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`comment on table "invitations" is 'One-time invitation codes (hashed) with the role they grant.';`);
    this.addSql(`create index "invitations_tenant_id_index" on "invitations" ("tenant_id");`);
    this.addSql(`alter table "invitations" add constraint "invitations_code_hash_unique" unique ("code_hash");`);
    this.addSql(`alter table "invitations" enable row level security;`);
    this.addSql(`alter table "invitations" force row level security;`);
    this.addSql(`create policy "invitations_select" on "invitations" for select to "nyx_app" using (${TENANT});`);
    this.addSql(`create policy "invitations_insert" on "invitations" for insert to "nyx_app" with check (${TENANT});`);
    this.addSql(`create policy "invitations_update" on "invitations" for update to "nyx_app" using (${TENANT}) with check (${TENANT});`);
    this.addSql(`create policy "invitations_delete" on "invitations" for delete to "nyx_app" using (${TENANT});`);
    this.addSql(grantsFor('invitations', ['select', 'insert', 'update', 'delete']));
    for (const column of ['created_by', 'accepted_user_id']) {
      this.addSql(
        `alter table "invitations" add constraint "invitations_${column}_tenant_fk" foreign key ("tenant_id", "${column}") references "users" ("tenant_id", "id") on delete set null ("${column}") deferrable initially deferred;`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invitations" cascade;`);
    this.addSql(`drop index if exists "audit_events_tenant_id_created_at_index";`);
    this.addSql(`alter table "audit_events" drop column "remote_address";`);
    this.addSql(`alter table "api_tokens" drop column "scope", drop column "expires_at";`);
    this.addSql(`alter table "users" drop column "role", drop column "removed_at";`);
  }
}
