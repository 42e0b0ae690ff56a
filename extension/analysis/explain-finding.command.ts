import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { registerCommand } from '../command.ts';
import { FLOW_KIND_LABEL } from './finding-diagnostic.ts';
import { findingIdFrom } from './finding-locations.ts';
import type { FindingsStore, RuleWithDocs } from './findings-store.ts';
import type { TriageEntry } from '#protocol/triage.ts';
import type { Connection } from '../connection/connection.ts';
import { TRIAGE_LABEL } from './triage-finding.command.ts';
import type { FindingDetailsPanels } from './finding-details-panel.ts';

/** Read-only documents holding a finding's explanation (no "save?" prompt when closed). */
export const EXPLAIN_SCHEME = 'nyx-explain';

/**
 * "Nyx: Show Finding Details": the finding in its webview panel (finding-details-panel.ts).
 * "Nyx: Explain Finding": the same facts as a Markdown preview beside the editor: the finding
 * (message, place, data flow with a link per step, fix), its rule from the server (why it matters,
 * vulnerable and fixed example, references) and its triage history. Both return that Markdown.
 * "Nyx: Show Rule" shows a rule alone (a rule id, a finding, or a pick of the catalog). Each takes
 * its target as an argument and returns the Markdown (tests read it).
 */
export function registerExplainFindingCommand(connection: Connection, store: FindingsStore, details: FindingDetailsPanels, log: vscode.LogOutputChannel): vscode.Disposable {
  const histories = new Map<string, TriageEntry[]>();
  const provider = vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
    provideTextDocumentContent(uri) {
      const [, kind, id] = uri.path.split('/');
      if (kind === 'rule') {
        const rule = store.rule(decodeURIComponent(id ?? ''));
        return rule ? ruleMarkdown(rule) : 'The server has no such rule.';
      }
      const finding = store.find(kind ?? '');
      return finding ? explanationOf(finding, store.rule(finding.ruleId), fileUriIn(store, finding), histories.get(finding.id)) : 'This finding is no longer open.';
    },
  });
  const explain = (inWebview: boolean) => async (target?: unknown): Promise<string | undefined> => {
    const findingId = findingIdFrom(target);
    const finding = findingId ? store.find(findingId) : undefined;
    if (!finding) throw new Error('Nyx: pick a finding to show (from its light bulb, its hover or the Findings view).');
    const history = await connection.requireClient().triageHistory(finding.id).catch((error: unknown) => {
      log.warn(`No triage history for ${finding.id}: ${String(error)}`);
      return undefined;
    });
    if (history) histories.set(finding.id, history.items);
    if (inWebview) await details.show(finding.id).loaded;
    else await showPreview(vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${finding.id}/${finding.ruleId.replace(/\//g, '-')}.md` }));
    return explanationOf(finding, store.rule(finding.ruleId), fileUriIn(store, finding), histories.get(finding.id));
  };
  return vscode.Disposable.from(
    provider,
    registerCommand('nyx.explainFinding', log, explain(false)),
    registerCommand('nyx.showFindingDetails', log, explain(true)),
    registerCommand('nyx.showRule', log, async (target?: unknown): Promise<string | undefined> => {
      const findingId = findingIdFrom(target);
      const ruleId = (findingId && store.find(findingId)?.ruleId) || (typeof target === 'string' && store.rule(target) ? target : undefined) || (await pickRule(store));
      const rule = ruleId ? store.rule(ruleId) : undefined;
      if (!rule) return undefined;
      await showPreview(vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/rule/${encodeURIComponent(rule.id)}/${rule.id.replace(/\//g, '-')}.md` }));
      return ruleMarkdown(rule);
    }),
  );
}

async function showPreview(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // Without the built-in Markdown extension, the source is still readable.
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

async function pickRule(store: FindingsStore): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    store.rules().map((rule) => ({ label: rule.title, description: rule.id, detail: [rule.severity, ...(rule.cwe ?? []), ...(rule.owasp ?? [])].join(' · '), ruleId: rule.id })),
    { title: 'Nyx: Show Rule', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.ruleId;
}

/** A rule by itself: facts, why it matters, the examples and references. */
export function ruleMarkdown(rule: RuleWithDocs): string {
  const lines = [`# ${rule.title}`, '', `\`${rule.id}\` · ${rule.severity} · ${rule.fixable ? 'has a quick fix' : 'no automatic fix'}`, ''];
  if (rule.cwe?.length) lines.push(`**CWE:** ${rule.cwe.map(cweLink).join(', ')}  `);
  if (rule.owasp?.length) lines.push(`**OWASP Top 10:** ${rule.owasp.join(', ')}  `);
  lines.push('', '## Why it matters', '', rule.docs, '');
  lines.push(...examplesOf(rule));
  if (rule.references?.length) lines.push('## References', '', ...rule.references.map((url) => `- <${url}>`), '');
  return lines.join('\n');
}

function cweLink(id: string): string {
  return `[${id}](https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html)`;
}

function examplesOf(rule: RuleWithDocs | undefined): string[] {
  if (!rule?.examples) return [];
  const fence = (code: string) => ['```' + rule.examples!.language, code, '```'];
  return ['## Example', '', '**Vulnerable:**', '', ...fence(rule.examples.vulnerable), '', '**Fixed:**', '', ...fence(rule.examples.fixed), ''];
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
export function explanationOf(finding: StoredFinding, rule: RuleWithDocs | undefined, fileUriOf: FileUriOf = () => undefined, history?: readonly TriageEntry[]): string {
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
  if (cwe.length > 0) lines.push(`**CWE:** ${cwe.map(cweLink).join(', ')}  `);
  if (owasp.length > 0) lines.push(`**OWASP Top 10:** ${owasp.join(', ')}  `);
  lines.push('');
  if (finding.flow?.length) {
    lines.push('## Data flow', '');
    finding.flow.forEach((step, index) => lines.push(`${index + 1}. **${FLOW_KIND_LABEL[step.kind]}** ${link(step.path, step.range.startLine, step.range.startColumn)}: ${step.message}`));
    lines.push('');
  }
  if (finding.fix) lines.push(`**Fix available:** ${finding.fix.description} (light bulb → "Apply fix").`, '');
  lines.push('## Why it matters', '', rule?.docs ?? '_The server has no documentation for this rule._', '');
  lines.push(...examplesOf(rule));
  if (rule?.references?.length) lines.push('## References', '', ...rule.references.map((url) => `- <${url}>`), '');
  if (finding.status === 'dismissed') lines.push(`**Dismissed** as ${TRIAGE_LABEL[finding.resolution ?? 'accepted'].toLowerCase()}: ${finding.dismissedReason ?? ''}`, '');
  lines.push('## Triage history', '');
  if (!history?.length) lines.push('_Never triaged: the finding is as the analysis reported it._', '');
  else {
    for (const entry of history) {
      const what = `**${TRIAGE_LABEL[entry.action]}**${entry.reason ? `: ${entry.reason}` : ''} (${entry.at.slice(0, 16).replace('T', ' ')} UTC)`;
      lines.push(`- ${entry.undoneAt ? `~~${what}~~ undone ${entry.undoneAt.slice(0, 16).replace('T', ' ')} UTC` : what}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
