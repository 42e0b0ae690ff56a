import type { EntityManager } from '@mikro-orm/postgresql';
import type { FindingWithSnippet } from './analysis-cache.ts';
import { FindingRow, type IFinding } from './finding.entity.ts';

/** `builtin` findings come from the rule engine, `ai` from the AI review, `policy` from a compliance review's gaps. */
export type FindingSource = 'builtin' | 'ai' | 'policy';
export type ReportedFinding = FindingWithSnippet & { source: FindingSource };

export interface PersistInput {
  tenantId: string;
  projectId: string;
  snapshotId: string;
  findings: readonly ReportedFinding[];
  /**
   * Whether an open finding absent from `findings` was this analysis' to judge (its rule ran on
   * its file, or its file is gone): only those become `fixed`. An AI finding of a file the AI did
   * not review this time stays open.
   */
  judged(existing: IFinding): boolean;
}

export interface PersistOutcome {
  /** New findings, and fixed ones that came back. */
  opened: number;
  fixed: number;
  /** Findings reported by this analysis. */
  total: number;
}

/**
 * Upserts by fingerprint, so a finding keeps its id, first sighting and dismissal when lines
 * shift; a fixed finding that is reported again is open again; a dismissed one stays dismissed
 * (the team decided) but its position is kept current.
 */
export async function persistFindings(em: EntityManager, input: PersistInput): Promise<PersistOutcome> {
  const existing = await em.find(FindingRow, { projectId: input.projectId });
  const byFingerprint = new Map(existing.map((row) => [row.fingerprint, row]));
  const reported = new Set<string>();
  let opened = 0;
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
    };
    const row = byFingerprint.get(finding.fingerprint);
    if (!row) {
      em.create(FindingRow, { ...fields, tenantId: input.tenantId, projectId: input.projectId, fingerprint: finding.fingerprint, status: 'open', firstSeenSnapshotId: input.snapshotId });
      opened++;
      continue;
    }
    em.assign(row, fields);
    if (row.status === 'fixed') {
      row.status = 'open';
      opened++;
    }
  }
  let fixed = 0;
  for (const row of existing) {
    if (row.status !== 'open' || reported.has(row.fingerprint) || !input.judged(row)) continue;
    row.status = 'fixed';
    fixed++;
  }
  await em.flush();
  return { opened, fixed, total: reported.size };
}
