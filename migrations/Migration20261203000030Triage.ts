import { Migration } from '@mikro-orm/migrations';

/**
 * Triage (docs/decisions/0020-live-analysis-and-triage.md): a dismissed finding says why it was set
 * aside (resolution: false-positive, wont-fix, accepted), and every triage change is kept on the
 * finding (triage_history, oldest first: who, when, why, what it replaced, whether it was undone).
 * Findings dismissed before this migration were dismissed with a free-text reason: they become
 * `accepted`, the meaning the old dismiss had. The SQL is what the ORM generates from
 * server/src/modules/analysis/finding.entity.ts (the drift test holds them equal).
 */
export class Migration20261203000030Triage extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "findings" add column "resolution" varchar(32) null, add column "triage_history" jsonb null;`);
    this.addSql(`update "findings" set "resolution" = 'accepted' where "status" = 'dismissed';`);
  }

  override async down(): Promise<void> {
    // Loses the resolutions and the history; dismissed findings stay dismissed with their reason.
    this.addSql(`alter table "findings" drop column "resolution", drop column "triage_history";`);
  }
}
