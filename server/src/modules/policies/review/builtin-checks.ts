// The checks that need no model: a clause that declares the CWEs it covers (`Covers: CWE-89`) is
// met when no open finding of a rule with one of those CWEs remains, and a gap citing each one
// that does. Findings the team dismissed are named in the rationale, not counted.
import type { ControlMatrixRow } from '#protocol/policies.ts';
import { findingEvidence, type ProjectEvidence } from './evidence.ts';

export type Assessment = Pick<ControlMatrixRow, 'status' | 'assessedBy' | 'rationale' | 'evidence'>;

/** At most this many findings are cited per clause (the count says how many there are). */
const MAX_CITED = 20;

export function assessByCwe(cwes: readonly string[], project: ProjectEvidence): Assessment {
  const covered = new Set(cwes);
  const matching = project.findings.filter((finding) => finding.cwes.some((cwe) => covered.has(cwe)));
  const open = matching.filter((finding) => finding.status === 'open');
  const dismissed = matching.length - open.length;
  const dismissedNote = dismissed ? ` ${dismissed} finding(s) of those weaknesses were dismissed by the team.` : '';
  if (!project.analysed && !open.length) {
    return { status: 'unreviewed', assessedBy: 'none', rationale: `The project has not been analysed yet, so Nyx cannot tell whether ${cwes.join(', ')} occur. Run an analysis, then review again.`, evidence: [] };
  }
  if (!open.length) {
    return { status: 'met', assessedBy: 'builtin', rationale: `No open finding of a rule covering ${cwes.join(', ')}.${dismissedNote}`, evidence: [] };
  }
  const byCwe = cwes.map((cwe) => `${cwe}: ${open.filter((finding) => finding.cwes.includes(cwe)).length}`).filter((entry) => !entry.endsWith(': 0'));
  return {
    status: 'gap',
    assessedBy: 'builtin',
    rationale: `${open.length} open finding(s) of rules covering this clause's weaknesses (${byCwe.join(', ')}).${dismissedNote}`,
    evidence: open.slice(0, MAX_CITED).map(findingEvidence),
  };
}
