import { Migration } from '@mikro-orm/migrations';

/**
 * Findings of data-flow rules keep their path from source to sink (docs/analysis.md, "Flow
 * paths"; decision 0013). Nullable: pattern rules have no path, and rows written before this
 * migration get theirs at the next analysis that reports them. The SQL is what the ORM generates
 * from server/src/modules/analysis/finding.entity.ts (the drift test holds them equal).
 */
export class Migration20261202000013FindingFlow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "findings" add column "flow" jsonb null;`);
  }

  override async down(): Promise<void> {
    // Loses only the stored paths; the next analysis writes them again.
    this.addSql(`alter table "findings" drop column "flow";`);
  }
}
