import { Migration } from '@mikro-orm/migrations';

/**
 * Resilience (docs/decisions/0014-resilience.md).
 * - security_events aggregate: one row per source, kind and minute with a count. Older rows keep
 *   null source/window (NULLs never collide in the unique constraint), so nothing is rewritten.
 * - notes and memory entries are stored before they are embedded: the vector may be missing, and
 *   embed_attempts / embed_retry_at drive the background sweeper's retries with backoff.
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261202000014Resilience extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "security_events" add column "source_key" varchar(200) null, add column "window_start" timestamptz null, add column "count" int not null default 1, add column "last_seen_at" timestamptz null;`);
    this.addSql(`create index "security_events_created_at_index" on "security_events" ("created_at");`);
    this.addSql(`alter table "security_events" add constraint "security_events_source_kind_window_unique" unique ("source_key", "kind", "window_start");`);

    for (const table of ['notes', 'memory_entries']) {
      this.addSql(`alter table "${table}" alter column "embedding" drop not null;`);
      this.addSql(`alter table "${table}" add column "embed_attempts" int not null default 0, add column "embed_retry_at" timestamptz null;`);
      this.addSql(`create index "${table}_embed_retry_at_index" on "${table}" ("embed_retry_at");`);
    }
  }

  override async down(): Promise<void> {
    // Rows still waiting for a vector cannot go back under "not null": they are dropped.
    for (const table of ['notes', 'memory_entries']) {
      this.addSql(`delete from "${table}" where "embedding" is null;`);
      this.addSql(`drop index if exists "${table}_embed_retry_at_index";`);
      this.addSql(`alter table "${table}" drop column "embed_attempts", drop column "embed_retry_at";`);
      this.addSql(`alter table "${table}" alter column "embedding" set not null;`);
    }
    this.addSql(`alter table "security_events" drop constraint if exists "security_events_source_kind_window_unique";`);
    this.addSql(`drop index if exists "security_events_created_at_index";`);
    this.addSql(`alter table "security_events" drop column "source_key", drop column "window_start", drop column "count", drop column "last_seen_at";`);
  }
}
