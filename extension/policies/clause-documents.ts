import * as vscode from 'vscode';
import type { PolicyClause, PolicyVersion } from '#protocol/policies.ts';
import { policyRuleId } from '#protocol/policies.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { POLICY_SCHEME, parsePolicyUri } from './clause-uri.ts';
import { policiesApi } from './policies-api.ts';
import type { PoliciesStore } from './policies-store.ts';

/**
 * Serves `nyx-policy:` documents: a clause (by id, or by the citation `<key>/<number>` against the
 * latest version) or a whole version, as read-only Markdown. A finding's code link and the
 * Policies view open these, so a cited clause is one click away.
 */
export class PolicyDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly connection: Connection;
  private readonly store: PoliciesStore;

  constructor(connection: Connection, store: PoliciesStore) {
    super();
    this.connection = connection;
    this.store = store;
    this.register(vscode.workspace.registerTextDocumentContentProvider(POLICY_SCHEME, this));
    // A citation may resolve to another clause after an upload: open citation documents follow.
    this.register(store.onDidChange(() => vscode.workspace.textDocuments.filter((doc) => parsePolicyUri(doc.uri)?.kind === 'cite').forEach((doc) => this.changed.fire(doc.uri))));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = parsePolicyUri(uri);
    if (!target) return `# Not a policy link\n\n\`${uri.toString()}\` names no clause.\n`;
    const client = this.connection.requireClient();
    if (target.kind === 'clause') return renderClause(await policiesApi.getClause(client, target.clauseId));
    if (target.kind === 'version') return renderVersion(await policiesApi.getVersion(client, target.documentId, target.version));
    const clause = await this.resolveCitation(target.documentKey, target.number);
    if (typeof clause === 'string') return clause;
    return renderClause(clause);
  }

  /** The clause a citation names in the latest version, or a page that says why there is none. */
  async resolveCitation(documentKey: string, number: string): Promise<PolicyClause | string> {
    if (!this.store.byKey(documentKey)) await this.store.reload();
    const summary = this.store.byKey(documentKey);
    const cited = `\`${policyRuleId(documentKey, number)}\``;
    if (!summary) return `# Policy "${documentKey}" not found\n\nThe team has no policy with the key \`${documentKey}\` (any more), so ${cited} cannot be shown.\n`;
    const document = await this.store.document(summary.id);
    const clause = document.clauses.find((candidate) => candidate.number === number);
    if (!clause) return `# ${summary.title}: no clause ${number}\n\nVersion ${document.latestVersion} of "${summary.title}" has no clause numbered ${number}; ${cited} was cited from an earlier version. Its clauses: ${document.clauses.map((c) => c.number).join(', ')}.\n`;
    return clause;
  }
}

export function renderClause(clause: PolicyClause): string {
  const lines = [`# ${clause.documentTitle} §${clause.number} ${clause.title}`, ''];
  lines.push(`*Policy \`${clause.documentKey}\`, version ${clause.version} · cited as \`${policyRuleId(clause.documentKey, clause.number)}\`*`, '');
  lines.push(clause.text, '');
  if (clause.cwes.length) lines.push(`**Covers:** ${clause.cwes.join(', ')} (findings of these weaknesses are checked against this clause without a model)`, '');
  // The text usually ends with its own "Controls:" line; name the parsed controls only when it does not.
  if (clause.controls.length && !/^Controls:/m.test(clause.text)) lines.push(`**Supports:** ${clause.controls.join(', ')}`, '');
  return lines.join('\n');
}

export function renderVersion(version: PolicyVersion): string {
  const header = `<!-- Nyx policy version ${version.version}, ${version.format}, ${version.clauseCount} clauses, uploaded ${new Date(version.createdAt).toLocaleString()} (read-only) -->`;
  return `${header}\n\n${version.text}\n`;
}
