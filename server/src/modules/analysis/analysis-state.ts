import type { EntityManager } from '@mikro-orm/postgresql';
import type { ManifestEntry } from '#protocol/analysis.ts';
import { ANALYZER_VERSION } from './analyzers/analyze-file.ts';

/**
 * The base of an incremental analysis (decision 0024): the run whose findings the project's
 * findings table holds, if it ran with the same rule set and analyzer version as this one.
 */
export interface AnalysisBase {
  runId: string;
  snapshotId: string;
}

/** What differs between the base snapshot's manifest and this one's. */
export interface ManifestDiff {
  /** Entries that are new or whose content changed. */
  changed: ManifestEntry[];
  /** Paths of the base that are gone. */
  removed: string[];
}

export async function readAnalysisBase(em: EntityManager, projectId: string, ruleSetKey: string): Promise<AnalysisBase | null> {
  const [row] = await em.execute<{ run_id: string; snapshot_id: string }[]>(
    `select run_id, snapshot_id from analysis_states where project_id = ? and rule_set = ? and analyzer_version = ?`,
    [projectId, ruleSetKey, ANALYZER_VERSION],
  );
  return row ? { runId: row.run_id, snapshotId: row.snapshot_id } : null;
}

/** The base snapshot's manifest, or null when the snapshot is gone. */
export async function readManifest(em: EntityManager, snapshotId: string): Promise<ManifestEntry[] | null> {
  const [row] = await em.execute<{ files: ManifestEntry[] }[]>(`select files from snapshots where id = ?`, [snapshotId]);
  return row?.files ?? null;
}

/**
 * What differs from the base snapshot to this one, compared in the database: only the differing
 * entries come back, not two manifests of thousands of entries. null when the base is gone.
 */
export async function diffSnapshots(em: EntityManager, baseSnapshotId: string, snapshotId: string): Promise<ManifestDiff | null> {
  const rows = await em.execute<{ kind: 'base' | 'changed' | 'removed'; entry: ManifestEntry | string | null }[]>(
    `with cur as (select e->>'path' as path, e->>'sha256' as sha256, e from snapshots s, jsonb_array_elements(s.files) e where s.id = ?),
          old as (select e->>'path' as path, e->>'sha256' as sha256 from snapshots s, jsonb_array_elements(s.files) e where s.id = ?)
     select 'base' as kind, null::jsonb as entry from snapshots where id = ?
     union all
     select 'changed', cur.e from cur left join old on old.path = cur.path where old.sha256 is distinct from cur.sha256
     union all
     select 'removed', to_jsonb(old.path) from old left join cur on cur.path = old.path where cur.path is null`,
    [snapshotId, baseSnapshotId, baseSnapshotId],
  );
  if (!rows.some((row) => row.kind === 'base')) return null;
  return {
    changed: rows.filter((row) => row.kind === 'changed').map((row) => row.entry as ManifestEntry),
    removed: rows.filter((row) => row.kind === 'removed').map((row) => row.entry as string),
  };
}

/** Which of `paths` the snapshot's manifest holds. */
export async function pathsInSnapshot(em: EntityManager, snapshotId: string, paths: readonly string[]): Promise<Set<string>> {
  if (!paths.length) return new Set();
  const rows = await em.execute<{ path: string }[]>(
    `select e->>'path' as path from snapshots s, jsonb_array_elements(s.files) e
      where s.id = ? and e->>'path' in (select jsonb_array_elements_text(?::jsonb))`,
    [snapshotId, JSON.stringify(paths)],
  );
  return new Set(rows.map((row) => row.path));
}

/**
 * Serialises the persists of one project for the rest of the transaction (an advisory lock: the
 * state row may not exist yet) and returns the run the state names, if any.
 */
export async function lockAnalysisState(em: EntityManager, projectId: string): Promise<string | null> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`analysis-state:${projectId}`]);
  const [row] = await em.execute<{ run_id: string }[]>(`select run_id from analysis_states where project_id = ?`, [projectId]);
  return row?.run_id ?? null;
}

export async function writeAnalysisState(em: EntityManager, state: { tenantId: string; projectId: string; runId: string; snapshotId: string; ruleSetKey: string }): Promise<void> {
  await em.execute(
    `insert into analysis_states (id, tenant_id, project_id, run_id, snapshot_id, rule_set, analyzer_version, updated_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, now())
     on conflict (project_id) do update set run_id = excluded.run_id, snapshot_id = excluded.snapshot_id,
       rule_set = excluded.rule_set, analyzer_version = excluded.analyzer_version, updated_at = now()`,
    [state.tenantId, state.projectId, state.runId, state.snapshotId, state.ruleSetKey, ANALYZER_VERSION],
  );
}
