import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { locateFile, toVscodeRange } from './finding-locations.ts';
import type { FindingsStore, RuleWithDocs } from './findings-store.ts';

/**
 * The hover over a Nyx finding: severity, rule, CWE and OWASP, the first line of the fix, and links
 * to the details and the quick fixes. VS Code shows it under the diagnostic's own one-line message.
 */
export class FindingHover implements vscode.HoverProvider {
  private readonly store: FindingsStore;

  constructor(store: FindingsStore) {
    this.store = store;
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const located = locateFile(this.store, document.uri);
    if (!located) return undefined;
    const here = this.store
      .findingsOf(located.watched.project.id)
      .filter((finding) => finding.path === located.path && toVscodeRange(finding.range).contains(position));
    if (here.length === 0) return undefined;
    const contents = here.map((finding) => findingHoverMarkdown(finding, this.store.rule(finding.ruleId)));
    return new vscode.Hover(contents, toVscodeRange(here[0]!.range));
  }
}

const SEVERITY_ICON = { error: '$(error)', warning: '$(warning)', info: '$(info)' } as const;

export function findingHoverMarkdown(finding: StoredFinding, rule: RuleWithDocs | undefined): vscode.MarkdownString {
  const cwe = rule?.cwe?.length ? rule.cwe : finding.cwe;
  const owasp = rule?.owasp?.length ? rule.owasp : finding.owasp;
  const details = commandUri('nyx.showFindingDetails', [finding.id]);
  const lines = [
    `${SEVERITY_ICON[finding.severity]} **Nyx ${finding.severity}** · ${escape(rule?.title ?? finding.ruleId)} · \`${finding.ruleId}\``,
    '',
  ];
  const tags = [
    ...cwe.map((id) => `[${id}](https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html)`),
    ...owasp.map((category) => `OWASP ${escape(category)}`),
  ];
  if (tags.length) lines.push(tags.join(' · '), '');
  const fixLine = finding.fix?.description ?? firstLine(rule?.examples ? `Fixed: ${rule.examples.fixed}` : undefined);
  if (finding.fix) lines.push(`$(wrench) **Fix:** ${escape(finding.fix.description)} (quick fix: Ctrl+.)`, '');
  else if (fixLine) lines.push(`$(lightbulb) **How to fix:** \`${fixLine.replace(/`/g, "'")}\``, '');
  if (finding.flow?.length) lines.push(`$(debug-step-over) Data flow in ${finding.flow.length} steps, from ${escape(finding.flow[0]!.message)}`, '');
  lines.push(`[$(book) Details](${details}) · [$(check) Triage…](${commandUri('nyx.triageFinding', [finding.id])})`);
  const markdown = new vscode.MarkdownString(lines.join('\n'), true);
  markdown.isTrusted = { enabledCommands: ['nyx.showFindingDetails', 'nyx.triageFinding'] };
  return markdown;
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n').find((line) => line.trim())?.trim();
}

function commandUri(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|]/g, (char) => `\\${char}`);
}
