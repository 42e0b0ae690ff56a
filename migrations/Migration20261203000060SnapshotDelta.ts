import { Migration } from '@mikro-orm/migrations';

/**
 * A snapshot built on another records the base and the delta sent with it (decision 0025), so
 * the next incremental analysis reads its changed files from the row instead of diffing two
 * complete manifests. `files` stays complete: no reader of manifests changes. No foreign key: a
 * base that is deleted takes the analysis state naming it along (cascade), and a delta is used
 * only when its base is the state's snapshot. Older rows have neither and are diffed as before.
 * The SQL is what the ORM generates from the entities (the drift test holds them equal).
 */
export class Migration20261203000060SnapshotDelta extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "snapshots" add "base_snapshot_id" uuid null, add "base_delta" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "snapshots" drop column "base_delta", drop column "base_snapshot_id";`);
  }
}
