// Gaps that point at code become findings under `nyx/policy/<doc-key>/<clause>`, so the editor
// shows them as diagnostics that cite the clause. One finding per evidence location; identity
// (the fingerprint) is rule + path + the evidence's own identity, never the line, like every
// finding. A review judges the findings of the clauses it assessed: those it no longer reports
// are fixed, so re-running after a fix closes the gap.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { policyRuleId, type ControlMatrixRow } from '#protocol/policies.ts';
import { persistFindings, type PersistOutcome, type ReportedFinding } from '#server/modules/analysis/findings-store.ts';

const MAX_MESSAGE = 1_000;

function fingerprint(ruleId: string, path: string, anchor: string): string {
  return createHash('sha256').update(`policy\0${ruleId}\0${path}\0${anchor.replace(/\s+/g, ' ').trim()}`).digest('hex').slice(0, 32);
}

export function gapFindingsOf(rows: readonly ControlMatrixRow[]): Map<string, ReportedFinding[]> {
  const byClause = new Map<string, ReportedFinding[]>();
  for (const row of rows) {
    if (row.status !== 'gap') continue;
    const ruleId = policyRuleId(row.documentKey, row.number);
    const findings = row.evidence.map((item): ReportedFinding => {
      const message = `${row.citation} (${row.title}) is not met here: ${row.rationale}`.slice(0, MAX_MESSAGE);
      const line = Math.max(1, item.line);
      return {
        ruleId,
        severity: 'warning',
        message,
        path: item.path,
        range: { startLine: line, startColumn: 1, endLine: line, endColumn: 1 },
        fingerprint: fingerprint(ruleId, item.path, item.findingId ?? item.snippet),
        // Code evidence carries the line before it too (evidence.ts snippetAt); a finding's snippet is its own line.
        snippet: (item.snippet.split('\n')[item.findingId ? 0 : Math.min(1, line - 1)] ?? '').trim().slice(0, 300),
        source: 'policy',
      };
    });
    byClause.set(row.clauseId, findings);
  }
  return byClause;
}

export interface GapOutcome extends PersistOutcome {
  /** clause id -> ids of its gap findings. */
  idsByClause: Map<string, string[]>;
}

export async function persistGapFindings(
  em: EntityManager,
  input: { tenantId: string; projectId: string; snapshotId: string; rows: readonly ControlMatrixRow[]; reviewedKeys: readonly string[] },
): Promise<GapOutcome> {
  const byClause = gapFindingsOf(input.rows);
  const unreviewed = new Set(input.rows.filter((row) => row.status === 'unreviewed').map((row) => policyRuleId(row.documentKey, row.number)));
  const prefixes = input.reviewedKeys.map((key) => `nyx/policy/${key}/`);
  const outcome = await persistFindings(em, {
    tenantId: input.tenantId,
    projectId: input.projectId,
    snapshotId: input.snapshotId,
    findings: [...byClause.values()].flat(),
    // This review's business: the policy findings of the documents it reviewed, except clauses it could not assess.
    judged: (row) => row.source === 'policy' && prefixes.some((prefix) => row.ruleId.startsWith(prefix)) && !unreviewed.has(row.ruleId),
  });
  const fingerprints = [...byClause.values()].flat().map((finding) => finding.fingerprint);
  const stored = fingerprints.length ? await em.execute<{ id: string; fingerprint: string }[]>(`select id, fingerprint from findings where project_id = ? and fingerprint = any(?::text[])`, [input.projectId, `{${fingerprints.join(',')}}`]) : [];
  const idOf = new Map(stored.map((row) => [row.fingerprint, row.id]));
  const idsByClause = new Map([...byClause].map(([clauseId, findings]) => [clauseId, findings.map((finding) => idOf.get(finding.fingerprint)!).filter(Boolean)]));
  return { ...outcome, idsByClause };
}
