import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { registerCommand } from '../command.ts';
import { findingIdFrom } from './finding-locations.ts';
import type { FindingsStore, RuleWithDocs } from './findings-store.ts';

/** Read-only documents holding a finding's explanation (no "save?" prompt when closed). */
export const EXPLAIN_SCHEME = 'nyx-explain';

/**
 * "Nyx: Explain Finding": the finding (message, place, fix) and its rule's docs from the server,
 * as a Markdown preview beside the editor. Takes a finding id; returns the Markdown (tests read it).
 */
export function registerExplainFindingCommand(store: FindingsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  const provider = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
    provideTextDocumentContent(uri) {
      const finding = store.find(uri.path.split('/')[1] ?? '');
      return finding ? explanationOf(finding, store.rule(finding.ruleId)) : 'This finding is no longer open.';
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
    return explanationOf(finding, store.rule(finding.ruleId));
  });
  return vscode.Disposable.from(provider, command);
}

export function explanationOf(finding: StoredFinding, rule: RuleWithDocs | undefined): string {
  const lines = [
    `# ${rule?.title ?? finding.ruleId}`,
    '',
    `\`${finding.ruleId}\` · ${finding.severity} · \`${finding.path}:${finding.range.startLine}:${finding.range.startColumn}\``,
    '',
    `> ${finding.message.replace(/\n/g, '\n> ')}`,
    '',
  ];
  if (finding.fix) lines.push(`**Fix available:** ${finding.fix.description} (light bulb → "Apply fix").`, '');
  lines.push(rule?.docs ?? '_The server has no documentation for this rule._');
  return lines.join('\n');
}
