import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import { citationUri, clauseUri, versionUri } from './clause-uri.ts';
import type { PoliciesNode } from './policies-tree.ts';
import { resolveClauseTarget } from './policy-target.ts';
import type { ClauseTarget } from './policy-target.ts';
import { searchPoliciesPick } from './search-policies-pick.ts';
import type { Connection } from '../connection/connection.ts';

/**
 * "Nyx: Open Policy Clause": a clause (from the view, a citation, a gap finding's rule id) as a
 * read-only Markdown document in the preview; without an argument, a search of the policies to
 * pick one from. "Nyx: Search Policies..." is that search alone. "Nyx: Open Policy Version" shows a whole version's text. Both answer the text shown.
 */
export function registerOpenClauseCommands(connection: Connection, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommand('nyx.openPolicyClause', log, async (target?: ClauseTarget): Promise<string | undefined> => {
      const resolved = target === undefined ? await searchPoliciesPick(connection, log) : resolveClauseTarget(target);
      if (!resolved) return undefined;
      const uri = 'clauseId' in resolved ? clauseUri({ id: resolved.clauseId, title: resolved.title ?? 'clause' }) : citationUri(resolved.documentKey, resolved.number);
      return showPolicyDocument(uri);
    }),
    registerCommand('nyx.searchPolicies', log, async (): Promise<string | undefined> => {
      const picked = await searchPoliciesPick(connection, log);
      return picked ? showPolicyDocument(clauseUri({ id: picked.clauseId, title: picked.title })) : undefined;
    }),
    registerCommand('nyx.openPolicyVersion', log, async (node?: PoliciesNode): Promise<string | undefined> => {
      if (node?.kind !== 'version') throw new Error('Open a version from the Policies view.');
      return showPolicyDocument(versionUri(node.document.id, node.version.version, node.document.title));
    }),
  );
}

/** Opens a `nyx-policy:` document in the Markdown preview (the editor when there is none); answers its text. */
export async function showPolicyDocument(uri: vscode.Uri): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', document.uri);
  } catch {
    await vscode.window.showTextDocument(document, { preview: true });
  }
  return document.getText();
}
