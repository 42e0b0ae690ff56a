import * as vscode from 'vscode';

/** Read-only Markdown documents of the policy library (clause-documents.ts serves them). */
export const POLICY_SCHEME = 'nyx-policy';

/** What a `nyx-policy:` URI names. */
export type PolicyTarget =
  | { kind: 'clause'; clauseId: string }
  /** The clause of that number in the latest version of the document with that key: what citations name. */
  | { kind: 'cite'; documentKey: string; number: string }
  | { kind: 'version'; documentId: string; version: number };

const slug = (text: string) => text.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'policy';

/** `nyx-policy:/clause/<id>/<title>.md`: one clause of one version. */
export function clauseUri(clause: { id: string; title: string }): vscode.Uri {
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/clause/${clause.id}/${slug(clause.title)}.md` });
}

/**
 * `nyx-policy:/cite/<key>/<number>/<key>-<number>.md`: the clause a citation names (a `nyx/policy/<key>/<number>`
 * finding, a report's "§4.2"), resolved against the latest version when it is opened.
 */
export function citationUri(documentKey: string, number: string): vscode.Uri {
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/cite/${documentKey}/${encodeURIComponent(number)}/${slug(`${documentKey} ${number}`)}.md` });
}

/** `nyx-policy:/version/<documentId>/<version>/<title>.md`: a whole version's text. */
export function versionUri(documentId: string, version: number, title: string): vscode.Uri {
  return vscode.Uri.from({ scheme: POLICY_SCHEME, path: `/version/${documentId}/${version}/${slug(title)}.md` });
}

export function parsePolicyUri(uri: vscode.Uri): PolicyTarget | undefined {
  if (uri.scheme !== POLICY_SCHEME) return undefined;
  const [kind, first, second] = uri.path.split('/').slice(1);
  if (kind === 'clause' && first) return { kind, clauseId: first };
  if (kind === 'cite' && first && second) return { kind, documentKey: first, number: decodeURIComponent(second) };
  if (kind === 'version' && first && second && /^\d+$/.test(second)) return { kind, documentId: first, version: Number(second) };
  return undefined;
}
