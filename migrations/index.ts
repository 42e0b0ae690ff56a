import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000001Foundation } from './Migration20261122000001Foundation.ts';
import { Migration20261122000002Runs } from './Migration20261122000002Runs.ts';
import { Migration20261122000003Ai } from './Migration20261122000003Ai.ts';
import { Migration20261122000004Analysis } from './Migration20261122000004Analysis.ts';
import { Migration20261122000005Team } from './Migration20261122000005Team.ts';
import { Migration20261122000006Knowledge } from './Migration20261122000006Knowledge.ts';
import { Migration20261122000007Autofix } from './Migration20261122000007Autofix.ts';
import { Migration20261202000001TenantReferences } from './Migration20261202000001TenantReferences.ts';
import { Migration20261202000013FindingFlow } from './Migration20261202000013FindingFlow.ts';
import { Migration20261202000014Resilience } from './Migration20261202000014Resilience.ts';
import { Migration20261203000010TeamAdmin } from './Migration20261203000010TeamAdmin.ts';
import { Migration20261203000020Sso } from './Migration20261203000020Sso.ts';
import { Migration20261203000030Triage } from './Migration20261203000030Triage.ts';
import { Migration20261203000041IncrementalAnalysis } from './Migration20261203000041IncrementalAnalysis.ts';
import { Migration20261203000050Policies } from './Migration20261203000050Policies.ts';
import { Migration20261203000060SnapshotDelta } from './Migration20261203000060SnapshotDelta.ts';

/** Migrations in the order they run. A new migration is appended here. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000001Foundation', class: Migration20261122000001Foundation },
  { name: 'Migration20261122000002Runs', class: Migration20261122000002Runs },
  { name: 'Migration20261122000003Ai', class: Migration20261122000003Ai },
  { name: 'Migration20261122000004Analysis', class: Migration20261122000004Analysis },
  { name: 'Migration20261122000006Knowledge', class: Migration20261122000006Knowledge },
  { name: 'Migration20261122000005Team', class: Migration20261122000005Team },
  { name: 'Migration20261122000007Autofix', class: Migration20261122000007Autofix },
  { name: 'Migration20261202000001TenantReferences', class: Migration20261202000001TenantReferences },
  { name: 'Migration20261202000013FindingFlow', class: Migration20261202000013FindingFlow },
  { name: 'Migration20261202000014Resilience', class: Migration20261202000014Resilience },
  { name: 'Migration20261203000010TeamAdmin', class: Migration20261203000010TeamAdmin },
  { name: 'Migration20261203000020Sso', class: Migration20261203000020Sso },
  { name: 'Migration20261203000030Triage', class: Migration20261203000030Triage },
  { name: 'Migration20261203000041IncrementalAnalysis', class: Migration20261203000041IncrementalAnalysis },
  { name: 'Migration20261203000050Policies', class: Migration20261203000050Policies },
  { name: 'Migration20261203000060SnapshotDelta', class: Migration20261203000060SnapshotDelta },
];
