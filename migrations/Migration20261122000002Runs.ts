import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * Runs and their event log (ARCHITECTURE.md section 4), with row-level security. The SQL is what
 * the ORM generates from run.entity.ts and run-event.entity.ts (the drift test holds them equal).
 * nyx_app may not delete either: runs end in a final status, events are append-only.
 */
export class Migration20261122000002Runs extends Migration {
  override async up(): Promise<void> {
    // runs
    this.addSql(`create table "runs" ("id" uuid not null, "tenant_id" uuid not null, "project_id" uuid not null, "kind" varchar(64) not null, "input" jsonb not null default '{}', "input_hash" varchar(64) not null, "status" varchar(16) not null default 'pending', "progress" double precision not null default 0, "progress_message" varchar(500) null, "result" jsonb null, "error" text null, "attempts" int not null default 0, "last_seq" int not null default 0, "lease_owner" varchar(200) null, "lease_expires_at" timestamptz null, "heartbeat_at" timestamptz null, "cancel_requested_at" timestamptz null, "created_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`comment on table "runs" is 'Server-owned long jobs (analysis, autofix, sync...): status, lease, progress and outcome.';`);
    this.addSql(`create index "runs_tenant_id_index" on "runs" ("tenant_id");`);
    this.addSql(`create index "runs_status_created_at_index" on "runs" ("status", "created_at");`);
    this.addSql(`create index "runs_project_id_kind_input_hash_index" on "runs" ("project_id", "kind", "input_hash");`);
    this.addSql(`alter table "runs" enable row level security;`);
    this.addSql(`alter table "runs" force row level security;`);
    this.addSql(`create policy "runs_select" on "runs" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "runs_insert" on "runs" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "runs_update" on "runs" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('runs', ['select', 'insert', 'update']));

    // run_events
    this.addSql(`create table "run_events" ("run_id" uuid not null, "seq" int not null, "tenant_id" uuid not null, "type" varchar(64) not null, "data" jsonb null, "created_at" timestamptz not null, primary key ("run_id", "seq"));`);
    this.addSql(`comment on table "run_events" is 'Append-only event log of each run; (run_id, seq) is the SSE resume cursor.';`);
    this.addSql(`create index "run_events_tenant_id_index" on "run_events" ("tenant_id");`);
    this.addSql(`alter table "run_events" enable row level security;`);
    this.addSql(`alter table "run_events" force row level security;`);
    this.addSql(`create policy "run_events_select" on "run_events" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "run_events_insert" on "run_events" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('run_events', ['select', 'insert']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every run and its event log (policies go with the tables).
    this.addSql(`drop table if exists "run_events", "runs" cascade;`);
  }
}
