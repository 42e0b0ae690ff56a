import { Migration } from '@mikro-orm/migrations';

/**
 * A snapshot built on another records the base and the delta sent with it (decision 0025), so
 * the next incremental analysis reads its changed files from the row instead of diffing two
 * complete manifests. `files` stays complete: no reader of manifests changes. The base is a
 * tenant reference like any other (decision 0011); deleting it clears the reference, and the
 * delta is used only when its base is the snapshot the project's findings reflect. Older rows
 * have neither and are diffed as before.
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261203000060SnapshotDelta extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "snapshots" add "base_snapshot_id" uuid null, add "base_delta" jsonb null;`);
    this.addSql(`create index "snapshots_base_snapshot_id_index" on "snapshots" ("base_snapshot_id");`);
    this.addSql(`alter table "snapshots" add constraint "snapshots_base_snapshot_id_tenant_fk" foreign key ("tenant_id", "base_snapshot_id") references "snapshots" ("tenant_id", "id") on delete set null (base_snapshot_id) deferrable initially deferred;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "snapshots" drop constraint if exists "snapshots_base_snapshot_id_tenant_fk";`);
    this.addSql(`drop index if exists "snapshots_base_snapshot_id_index";`);
    this.addSql(`alter table "snapshots" drop column "base_delta", drop column "base_snapshot_id";`);
  }
}
