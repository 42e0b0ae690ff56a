// The run's report (result.reportMarkdown; the reports module saves it as a report of the run).
import type { AddressedFinding, AutofixRunKind, FilePatch, ModelUsage } from '#protocol/autofix.ts';

export interface ReportInput {
  kind: AutofixRunKind;
  mode: 'deterministic' | 'model';
  rationale: string;
  files: readonly FilePatch[];
  findings: readonly AddressedFinding[];
  instruction: string | null;
  personaName: string | null;
  usage: ModelUsage | null;
}

const changedLines = (patch: FilePatch) => patch.edits.reduce((sum, edit) => sum + edit.newText.split('\n').length, 0);

export function reportTitle(input: Pick<ReportInput, 'kind' | 'files' | 'findings'>): string {
  const what = input.kind === 'autofix' ? `Auto-fix of ${input.findings.length} finding(s)` : 'Refactor';
  return `${what} in ${input.files.map((file) => file.path).join(', ')}`.slice(0, 300);
}

export function renderReport(input: ReportInput): string {
  const lines = [`# ${reportTitle(input)}`, ''];
  if (input.instruction) lines.push(`**Instruction:** ${input.instruction}`, '');
  lines.push(
    `**How:** ${input.mode === 'deterministic' ? 'the analyzers\' own fixes (no model)' : `${input.personaName ?? 'a model'} via ${input.usage?.provider}/${input.usage?.model}`}`,
    '',
  );
  if (input.usage) {
    lines.push(`**Tokens:** ${input.usage.inputTokens} in, ${input.usage.outputTokens} out (about $${input.usage.costUsd.toFixed(4)})`, '');
  }
  if (input.findings.length) {
    lines.push('## Findings addressed', '', ...input.findings.map((f) => `- \`${f.ruleId}\` at \`${f.path}:${f.line}\`: ${f.message}`), '');
  }
  lines.push('## Rationale', '', input.rationale, '', '## Changes', '');
  lines.push('| File | Edits | Lines written | Syntax checked | New blob |', '| --- | ---: | ---: | :-: | --- |');
  for (const patch of input.files) {
    lines.push(`| \`${patch.path}\` | ${patch.edits.length} | ${changedLines(patch)} | ${patch.syntaxChecked ? 'yes' : 'n/a'} | \`${patch.newBlobHash.slice(0, 12)}\` |`);
  }
  lines.push('', 'The patch is a proposal until it is applied in an editor; the server then re-analyzes the files it touched.');
  return lines.join('\n');
}
