// The control matrix as a report: a summary, one table row per clause (status, clause cited by
// number, evidence), then per clause the rationale and evidence in full.
import type { ControlMatrix, ControlMatrixRow, ControlStatus } from '#protocol/policies.ts';
import { policyRuleId } from '#protocol/policies.ts';

export const STATUS_LABELS: Record<ControlStatus, string> = {
  met: 'Met',
  partial: 'Partial',
  gap: 'Gap',
  not_applicable: 'Not applicable',
  unreviewed: 'Not reviewed',
};

/** Table cells hold no pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function evidenceShort(row: ControlMatrixRow): string {
  if (!row.evidence.length) return '—';
  const shown = row.evidence.slice(0, 3).map((item) => `\`${item.path}:${item.line}\``);
  return `${shown.join(', ')}${row.evidence.length > 3 ? ` and ${row.evidence.length - 3} more` : ''}`;
}

export function renderMatrixMarkdown(matrix: ControlMatrix, projectName: string): string {
  const lines: string[] = [];
  lines.push(`# Compliance review of ${projectName}`, '');
  lines.push(`Policies: ${matrix.documents.map((d) => `${d.title} (\`${d.key}\`, version ${d.version})`).join('; ')}.`);
  lines.push(`Snapshot: ${matrix.snapshotId ?? 'none (the project has no snapshot; code was not examined)'}. Judgement: ${matrix.model ?? 'built-in checks only (no model configured)'}.`, '');
  lines.push(`| Status | Clauses |`, `|---|---|`);
  for (const status of Object.keys(STATUS_LABELS) as ControlStatus[]) lines.push(`| ${STATUS_LABELS[status]} | ${matrix.totals[status]} |`);
  lines.push('', '## Control matrix', '');
  lines.push('| Clause | Title | Status | Assessed by | Evidence | Controls |', '|---|---|---|---|---|---|');
  for (const row of matrix.rows) {
    // The citation links to `#nyx/policy/<key>/<number>`: the editor's report viewer opens the clause.
    lines.push(`| [${cell(`${row.documentKey} §${row.number}`)}](#${policyRuleId(row.documentKey, row.number)}) | ${cell(row.title)} | ${STATUS_LABELS[row.status]} | ${row.assessedBy} | ${cell(evidenceShort(row))} | ${cell(row.controls.join(', ') || '—')} |`);
  }
  lines.push('', '## Clause by clause', '');
  for (const row of matrix.rows) {
    lines.push(`### ${row.citation}: ${row.title} — ${STATUS_LABELS[row.status]}`, '');
    lines.push(row.rationale, '');
    if (row.controls.length) lines.push(`Controls: ${row.controls.join(', ')}.`, '');
    if (row.cwes.length) lines.push(`Covers: ${row.cwes.join(', ')}.`, '');
    for (const item of row.evidence) {
      lines.push(`- \`${item.path}:${item.line}\`${item.ruleId ? ` — finding \`${item.ruleId}\` (${item.findingId})` : ''}`);
      if (item.snippet) lines.push('', '  ```', ...item.snippet.split('\n').map((line) => `  ${line}`), '  ```');
    }
    if (row.gapFindingIds.length) lines.push('', `Gap findings: ${row.gapFindingIds.map((id) => `\`${id}\``).join(', ')}.`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
