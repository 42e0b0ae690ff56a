import type { EntityManager } from '@mikro-orm/postgresql';
import type { FindingWithSnippet } from './analysis-cache.ts';
import { FindingRow, type IFinding } from './finding.entity.ts';

/** `builtin` findings come from the rule engine, `ai` from the AI review. */
export type FindingSource = 'builtin' | 'ai';
export type ReportedFinding = FindingWithSnippet & { source: FindingSource };

export interface PersistInput {
  tenantId: string;
  projectId: string;
  snapshotId: string;
  /** The analysis run reporting them (findings.last_seen_run_id); required for `incremental`. */
  runId?: string;
  findings: readonly ReportedFinding[];
  /**
   * Whether an open finding absent from `findings` was this analysis' to judge (its rule ran on
   * its file, or its file is gone): only those become `fixed`. An AI finding of a file the AI did
   * not review this time stays open. `inSnapshot` says whether its path is in the snapshot.
   */
  judged(existing: IFinding, inSnapshot: boolean): boolean;
  /** Which of `paths` the analyzed snapshot holds (asked once, for the rows that may be judged). Default: all. */
  pathsInSnapshot?(paths: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Incremental analysis (decision 0024): `findings` cover only the files of `paths` (changed or
   * removed since the base run). Every other built-in finding the base run reported is reported
   * again unchanged (same blob, rules and analyzer version give the same findings), so it is
   * carried over by one update instead of being compared row by row.
   */
  incremental?: { paths: ReadonlySet<string>; baseRunId: string };
}

export interface PersistOutcome {
  /** New findings, and fixed ones that came back. */
  opened: number;
  fixed: number;
  /** Findings reported by this analysis. */
  total: number;
  /** Whether anything code patterns are computed from changed (a finding opened, fixed, moved or reworded). */
  patternsAffected: boolean;
}

/** The fields code patterns read (code-patterns.ts): when none changed, the patterns stand. */
const PATTERN_FIELDS = ['path', 'ruleId', 'severity', 'message', 'startLine', 'snippet'] as const;

/**
 * The rows this persist compares: all of the project's, or, incremental, those of the touched
 * paths plus the open ones the base run did not report (they may be judged fixed now: a finding
 * reopened by hand whose code is gone, an AI finding of a deleted file).
 */
function rowsToCompare(em: EntityManager, input: PersistInput): Promise<IFinding[]> {
  if (!input.incremental) return em.find(FindingRow, { projectId: input.projectId });
  const { paths, baseRunId } = input.incremental;
  return em.find(FindingRow, {
    projectId: input.projectId,
    $or: [
      { path: { $in: [...paths] } },
      { status: 'open', $or: [{ source: { $ne: 'builtin' } }, { lastSeenRunId: null }, { lastSeenRunId: { $ne: baseRunId } }] },
    ],
  });
}

/** Built-in findings the base run reported outside the touched paths: seen again in this snapshot, by this run. */
async function carryOver(em: EntityManager, input: PersistInput, incremental: NonNullable<PersistInput['incremental']>): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update findings set last_seen_snapshot_id = ?, last_seen_run_id = ?, updated_at = now()
      where project_id = ? and last_seen_run_id = ? and source = 'builtin'
        and path not in (select jsonb_array_elements_text(?::jsonb))
      returning id`,
    [input.snapshotId, input.runId ?? null, input.projectId, incremental.baseRunId, JSON.stringify([...incremental.paths])],
  );
  return rows.length;
}

/**
 * Upserts by fingerprint, so a finding keeps its id, first sighting and dismissal when lines
 * shift; a fixed finding that is reported again is open again; a dismissed one stays dismissed
 * (the team decided) but its position is kept current.
 */
export async function persistFindings(em: EntityManager, input: PersistInput): Promise<PersistOutcome> {
  const existing = await rowsToCompare(em, input);
  const byFingerprint = new Map(existing.map((row) => [row.fingerprint, row]));
  const reported = new Set<string>();
  let opened = 0;
  let patternsAffected = false;
  for (const finding of input.findings) {
    if (reported.has(finding.fingerprint)) continue;
    reported.add(finding.fingerprint);
    const fields = {
      path: finding.path,
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      startLine: finding.range.startLine,
      startColumn: finding.range.startColumn,
      endLine: finding.range.endLine,
      endColumn: finding.range.endColumn,
      fix: finding.fix ?? null,
      // Replaced on every sighting: the path moves with the code even when the fingerprint does not.
      flow: finding.flow ?? null,
      snippet: finding.snippet.slice(0, 300),
      source: finding.source,
      lastSeenSnapshotId: input.snapshotId,
      lastSeenRunId: input.runId ?? null,
    };
    const row = byFingerprint.get(finding.fingerprint);
    if (!row) {
      em.create(FindingRow, { ...fields, tenantId: input.tenantId, projectId: input.projectId, fingerprint: finding.fingerprint, status: 'open', firstSeenSnapshotId: input.snapshotId });
      opened++;
      patternsAffected = true;
      continue;
    }
    if (row.status !== 'dismissed' && PATTERN_FIELDS.some((field) => row[field] !== fields[field])) patternsAffected = true;
    em.assign(row, fields);
    if (row.status === 'fixed') {
      row.status = 'open';
      opened++;
    }
  }
  const candidates = existing.filter((row) => row.status === 'open' && !reported.has(row.fingerprint));
  const candidatePaths = [...new Set(candidates.map((row) => row.path))];
  const inSnapshot = input.pathsInSnapshot ? await input.pathsInSnapshot(candidatePaths) : new Set(candidatePaths);
  let fixed = 0;
  for (const row of candidates) {
    if (!input.judged(row, inSnapshot.has(row.path))) continue;
    row.status = 'fixed';
    fixed++;
  }
  await em.flush();
  const carried = input.incremental ? await carryOver(em, input, input.incremental) : 0;
  return { opened, fixed, total: reported.size + carried, patternsAffected: patternsAffected || opened > 0 || fixed > 0 };
}
