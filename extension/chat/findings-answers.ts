import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Severity } from '#protocol/findings.ts';
import { explanationOf } from '../analysis/explain-finding.command.ts';
import { locateFile } from '../analysis/finding-locations.ts';
import type { FindingsStore } from '../analysis/findings-store.ts';

/** What `@nyx /explain` and the findings tools read: the open findings the editor already holds. */

export interface FindingsFilter {
  /** A folder-relative path (as the Findings view shows it), or its end (`server.js`). */
  path?: string;
  severity?: Severity;
  ruleId?: string;
  limit?: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const DEFAULT_LIMIT = 50;

/** The open findings of every project the workspace works on, the worst first, filtered. */
export function listFindings(store: FindingsStore, filter: FindingsFilter = {}): StoredFinding[] {
  const path = filter.path?.trim().replace(/^\.?\//, '');
  return store
    .watched()
    .flatMap((watched) => store.findingsOf(watched.project.id))
    .filter((finding) => !path || finding.path === path || finding.path.endsWith(`/${path}`))
    .filter((finding) => !filter.severity || finding.severity === filter.severity)
    .filter((finding) => !filter.ruleId || finding.ruleId === filter.ruleId)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.path.localeCompare(b.path) || a.range.startLine - b.range.startLine)
    .slice(0, Math.max(1, Math.min(filter.limit ?? DEFAULT_LIMIT, 500)));
}

/** The finding under (or nearest above, on the same line range) the cursor of an editor. */
export function findingAtCursor(store: FindingsStore, editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): StoredFinding | undefined {
  if (!editor) return undefined;
  const located = locateFile(store, editor.document.uri);
  if (!located) return undefined;
  const line = editor.selection.active.line + 1;
  const inFile = store.findingsOf(located.watched.project.id).filter((finding) => finding.path === located.path);
  return (
    inFile.find((finding) => finding.range.startLine <= line && line <= finding.range.endLine) ??
    // A cursor on another line of the file: the closest finding, so "/explain" in a file with one finding just works.
    [...inFile].sort((a, b) => Math.abs(a.range.startLine - line) - Math.abs(b.range.startLine - line))[0]
  );
}

/**
 * The finding a user or a model names: its id, a rule id (the first such finding, active file
 * first), or `path:line`. Undefined when nothing matches.
 */
export function resolveFinding(store: FindingsStore, reference: string): StoredFinding | undefined {
  const wanted = reference.trim();
  if (!wanted) return undefined;
  const byId = store.find(wanted);
  if (byId) return byId;
  const all = listFindings(store, { limit: 500 });
  const atCursor = findingAtCursor(store);
  const byRule = all.filter((finding) => finding.ruleId === wanted);
  if (byRule.length > 0) return byRule.find((finding) => finding.path === atCursor?.path) ?? byRule[0];
  const place = /^(.+):(\d+)$/.exec(wanted);
  if (place) {
    const line = Number(place[2]);
    return listFindings(store, { path: place[1], limit: 500 }).find((finding) => finding.range.startLine <= line && line <= finding.range.endLine);
  }
  return undefined;
}

/** One line per finding, with the id a follow-up question (or tool call) can name. */
export function findingsMarkdown(findings: readonly StoredFinding[]): string {
  if (findings.length === 0) return 'No open Nyx findings match.';
  return findings
    .map((finding) => `- **${finding.severity}** \`${finding.ruleId}\` at \`${finding.path}:${finding.range.startLine}\`: ${firstLine(finding.message)} (id \`${finding.id}\`)`)
    .join('\n');
}

/** The same explanation as "Nyx: Explain Finding" (rule docs, examples, data flow, fix). */
export function explainFinding(store: FindingsStore, finding: StoredFinding): string {
  const watched = store.watched().find((candidate) => candidate.project.id === finding.projectId);
  return explanationOf(finding, store.rule(finding.ruleId), (path) => (watched ? vscode.Uri.joinPath(watched.folder.uri, path) : undefined));
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
