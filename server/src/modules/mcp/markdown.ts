import type { StoredFinding } from '#protocol/analysis.ts';
import type { FlowStep, RuleInfo } from '#protocol/findings.ts';

/** A rule as an agent reads it (the get_rule tool and the nyx://rules/ resource). */
export function ruleMarkdown(rule: RuleInfo): string {
  const lines = [`# ${rule.title}`, '', `Rule \`${rule.id}\` · severity **${rule.severity}** · languages: ${rule.languages.join(', ')} · ${rule.fixable ? 'has a deterministic fix' : 'no automatic fix'}`];
  if (rule.cwe?.length) lines.push(`CWE: ${rule.cwe.join(', ')}`);
  if (rule.owasp?.length) lines.push(`OWASP: ${rule.owasp.join('; ')}`);
  lines.push('', rule.docs);
  if (rule.examples) {
    const fence = '```';
    lines.push('', '## Vulnerable', '', `${fence}${rule.examples.language}`, rule.examples.vulnerable, fence, '', '## Fixed', '', `${fence}${rule.examples.language}`, rule.examples.fixed, fence);
  }
  if (rule.references?.length) lines.push('', '## References', '', ...rule.references.map((url) => `- ${url}`));
  return lines.join('\n');
}

/** A finding with its rule and, for taint rules, the path from source to sink. */
export function findingMarkdown(finding: StoredFinding, rule: RuleInfo | undefined, flow: FlowStep[] | null): string {
  const at = (path: string, range: StoredFinding['range']) => `${path}:${range.startLine}:${range.startColumn}`;
  const lines = [
    `# ${rule?.title ?? finding.ruleId}`,
    '',
    `**${finding.severity}** at \`${at(finding.path, finding.range)}\` (rule \`${finding.ruleId}\`, status ${finding.status}, found by ${finding.source})`,
    '',
    finding.message,
  ];
  if (finding.status === 'dismissed') lines.push('', `Dismissed (${finding.resolution ?? 'accepted'}): ${finding.dismissedReason ?? ''}`);
  if (flow?.length) {
    lines.push('', '## Data flow', '');
    flow.forEach((step, index) => lines.push(`${index + 1}. ${step.kind} \`${at(step.path, step.range)}\`: ${step.message}`));
  }
  if (finding.fix) lines.push('', `## Suggested fix`, '', `${finding.fix.description} (the edits are in the structured content, \`finding.fix\`).`);
  if (rule) lines.push('', '## About the rule', '', rule.docs);
  if (rule?.cwe?.length) lines.push('', `CWE: ${rule.cwe.join(', ')}`);
  return lines.join('\n');
}
