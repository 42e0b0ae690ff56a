import { Migration } from '@mikro-orm/migrations';
import { grantsFor } from '#server/db/rls.ts';

/**
 * The AI layer's tables (docs/ai.md): provider credentials (encrypted keys), the ai_calls log,
 * tenant custom models and budgets, each with row-level security. The SQL is what the ORM
 * generates from server/src/modules/ai/*.entity.ts (the drift test holds them equal); grants are
 * what the ORM does not model.
 */
export class Migration20261122000003Ai extends Migration {
  override async up(): Promise<void> {
    // provider_credentials: keys: ciphertext only (SecretBox, AES-256-GCM)
    this.addSql(`create table "provider_credentials" ("id" uuid not null, "tenant_id" uuid not null, "provider" varchar(32) not null, "encrypted_key" text null, "key_hint" varchar(16) null, "base_url" varchar(2000) null, "created_by" uuid null, "updated_by" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "provider_credentials" is 'A tenant''s model provider key (encrypted at rest) and optional base URL; one per provider.';`);
    this.addSql(`create index "provider_credentials_tenant_id_index" on "provider_credentials" ("tenant_id");`);
    this.addSql(`alter table "provider_credentials" add constraint "provider_credentials_tenant_id_provider_unique" unique ("tenant_id", "provider");`);
    this.addSql(`alter table "provider_credentials" enable row level security;`);
    this.addSql(`alter table "provider_credentials" force row level security;`);
    this.addSql(`create policy "provider_credentials_select" on "provider_credentials" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "provider_credentials_insert" on "provider_credentials" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "provider_credentials_update" on "provider_credentials" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "provider_credentials_delete" on "provider_credentials" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('provider_credentials', ['select', 'insert', 'update', 'delete']));

    // ai_calls: append-only: nyx_app may not update or delete
    this.addSql(`create table "ai_calls" ("id" uuid not null, "tenant_id" uuid not null, "run_id" uuid null, "persona_id" varchar(200) null, "user_id" uuid null, "provider" varchar(32) not null, "model" varchar(200) not null, "kind" varchar(16) not null default 'chat', "tokens_in" int not null default 0, "tokens_out" int not null default 0, "latency_ms" int not null default 0, "cost_usd" numeric(14,8) not null default 0, "outcome" varchar(32) not null default 'success', "attempt" smallint not null default 1, "fallback_from" varchar(32) null, "error_message" text null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "ai_calls" is 'One row per model provider attempt: tokens, cost, latency, outcome, fallback. Append-only.';`);
    this.addSql(`create index "ai_calls_tenant_id_index" on "ai_calls" ("tenant_id");`);
    this.addSql(`create index "ai_calls_tenant_id_created_at_index" on "ai_calls" ("tenant_id", "created_at");`);
    this.addSql(`create index "ai_calls_run_id_index" on "ai_calls" ("run_id");`);
    this.addSql(`alter table "ai_calls" enable row level security;`);
    this.addSql(`alter table "ai_calls" force row level security;`);
    this.addSql(`create policy "ai_calls_select" on "ai_calls" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_calls_insert" on "ai_calls" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('ai_calls', ['select', 'insert']));

    // ai_models: tenant's custom models
    this.addSql(`create table "ai_models" ("id" uuid not null, "tenant_id" uuid not null, "provider" varchar(32) not null default 'openai-compatible', "model_id" varchar(200) not null, "display_name" varchar(200) null, "base_url" varchar(2000) null, "context_window" int not null default 32768, "max_output" int not null default 4096, "input_price_per_mtok" numeric(12,6) not null default 0, "output_price_per_mtok" numeric(12,6) not null default 0, "capabilities" jsonb not null default '{}', "fast" boolean not null default false, "reasoning" boolean not null default false, "created_by" uuid null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "ai_models" is 'A tenant''s custom catalog model (e.g. local Ollama); a built-in id here overrides that entry.';`);
    this.addSql(`create index "ai_models_tenant_id_index" on "ai_models" ("tenant_id");`);
    this.addSql(`alter table "ai_models" add constraint "ai_models_tenant_id_model_id_unique" unique ("tenant_id", "model_id");`);
    this.addSql(`alter table "ai_models" enable row level security;`);
    this.addSql(`alter table "ai_models" force row level security;`);
    this.addSql(`create policy "ai_models_select" on "ai_models" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_models_insert" on "ai_models" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_models_update" on "ai_models" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_models_delete" on "ai_models" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('ai_models', ['select', 'insert', 'update', 'delete']));

    // ai_budgets: one row per tenant; no row = no limits
    this.addSql(`create table "ai_budgets" ("id" uuid not null, "tenant_id" uuid not null, "daily_cost_usd" numeric(14,6) null, "monthly_cost_usd" numeric(14,6) null, "daily_tokens" bigint null, "monthly_tokens" bigint null, "run_cost_usd" numeric(14,6) null, "run_tokens" bigint null, "updated_by" uuid null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`comment on table "ai_budgets" is 'A tenant''s AI limits: daily/monthly cost and tokens, and the default cap per run. Null = none.';`);
    this.addSql(`alter table "ai_budgets" add constraint "ai_budgets_tenant_id_unique" unique ("tenant_id");`);
    this.addSql(`alter table "ai_budgets" enable row level security;`);
    this.addSql(`alter table "ai_budgets" force row level security;`);
    this.addSql(`create policy "ai_budgets_select" on "ai_budgets" for select to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_budgets_insert" on "ai_budgets" for insert to "nyx_app" with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_budgets_update" on "ai_budgets" for update to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid) with check (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(`create policy "ai_budgets_delete" on "ai_budgets" for delete to "nyx_app" using (tenant_id = nullif(current_setting('nyx.tenant_id', true), '')::uuid);`);
    this.addSql(grantsFor('ai_budgets', ['select', 'insert', 'update', 'delete']));
  }

  override async down(): Promise<void> {
    // Destructive: drops every stored provider key, the AI call log, custom models and budgets.
    this.addSql(`drop table if exists "ai_budgets", "ai_models", "ai_calls", "provider_credentials" cascade;`);
  }
}
