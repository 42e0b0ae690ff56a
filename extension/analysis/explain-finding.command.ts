import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { registerCommand } from '../command.ts';
import { FLOW_KIND_LABEL } from './finding-diagnostic.ts';
import { findingIdFrom } from './finding-locations.ts';
import type { FindingsStore, RuleWithDocs } from './findings-store.ts';

/** Read-only documents holding a finding's explanation (no "save?" prompt when closed). */
export const EXPLAIN_SCHEME = 'nyx-explain';

/**
 * "Nyx: Explain Finding": the finding (message, place, data flow, fix) and its rule from the server,
 * as a Markdown preview beside the editor. Takes a finding id; returns the Markdown (tests read it).
 */
export function registerExplainFindingCommand(store: FindingsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  const provider = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
    provideTextDocumentContent(uri) {
      const finding = store.find(uri.path.split('/')[1] ?? '');
      return finding ? explanationOf(finding, store.rule(finding.ruleId), fileUriIn(store, finding)) : 'This finding is no longer open.';
    },
  });
  const command = registerCommand('nyx.explainFinding', log, async (target?: unknown): Promise<string | undefined> => {
    const findingId = findingIdFrom(target);
    const finding = findingId ? store.find(findingId) : undefined;
    if (!finding) throw new Error('Nyx: pick a finding to explain (from its light bulb or the Findings view).');
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${finding.id}/${finding.ruleId.replace(/\//g, '-')}.md` });
    try {
      await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      // Without the built-in Markdown extension, the source is still readable.
      await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
    return explanationOf(finding, store.rule(finding.ruleId), fileUriIn(store, finding));
  });
  return vscode.Disposable.from(provider, command);
}

/** Paths resolve in the workspace folder that works on the finding's project (if one still does). */
function fileUriIn(store: FindingsStore, finding: StoredFinding): FileUriOf {
  const watched = store.watched().find((candidate) => candidate.project.id === finding.projectId);
  return (path) => (watched ? vscode.Uri.joinPath(watched.folder.uri, path) : undefined);
}

/** Turns a repository-relative path into the file in the folder that works on the finding's project. */
export type FileUriOf = (path: string) => vscode.Uri | undefined;

/**
 * The explanation as Markdown: what was found and where, the rule's facts (severity, CWE, OWASP),
 * why it matters, a vulnerable and a fixed example, and for data-flow findings the path from
 * source to sink, each step a link that opens its place (`#L<line>,<column>`, which the Markdown
 * preview understands).
 */
export function explanationOf(finding: StoredFinding, rule: RuleWithDocs | undefined, fileUriOf: FileUriOf = () => undefined): string {
  const link = (path: string, line: number, column: number) => {
    const label = `${path}:${line}:${column}`;
    const uri = fileUriOf(path);
    return uri ? `[\`${label}\`](${uri.with({ fragment: `L${line},${column}` }).toString()})` : `\`${label}\``;
  };
  const cwe = rule?.cwe?.length ? rule.cwe : finding.cwe;
  const owasp = rule?.owasp?.length ? rule.owasp : finding.owasp;
  const lines = [
    `# ${rule?.title ?? finding.ruleId}`,
    '',
    `\`${finding.ruleId}\` · ${finding.severity} · ${link(finding.path, finding.range.startLine, finding.range.startColumn)}`,
    '',
    `> ${finding.message.replace(/\n/g, '\n> ')}`,
    '',
    `**Severity:** ${finding.severity}  `,
  ];
  if (cwe.length > 0) lines.push(`**CWE:** ${cwe.map((id) => `[${id}](https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html)`).join(', ')}  `);
  if (owasp.length > 0) lines.push(`**OWASP Top 10:** ${owasp.join(', ')}  `);
  lines.push('');
  if (finding.flow?.length) {
    lines.push('## Data flow', '');
    finding.flow.forEach((step, index) => lines.push(`${index + 1}. **${FLOW_KIND_LABEL[step.kind]}** ${link(step.path, step.range.startLine, step.range.startColumn)}: ${step.message}`));
    lines.push('');
  }
  if (finding.fix) lines.push(`**Fix available:** ${finding.fix.description} (light bulb → "Apply fix").`, '');
  lines.push('## Why it matters', '', rule?.docs ?? '_The server has no documentation for this rule._', '');
  if (rule?.examples) {
    const fence = (code: string) => ['```' + rule.examples!.language, code, '```'];
    lines.push('## Example', '', '**Vulnerable:**', '', ...fence(rule.examples.vulnerable), '', '**Fixed:**', '', ...fence(rule.examples.fixed), '');
  }
  if (rule?.references?.length) lines.push('## References', '', ...rule.references.map((url) => `- <${url}>`), '');
  return lines.join('\n');
}
