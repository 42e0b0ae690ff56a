import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { locateFile } from '../analysis/finding-locations.ts';
import type { FindingsStore, WatchedFolder } from '../analysis/findings-store.ts';
import type { RunRequest } from './autofix-runs.ts';
import type { ModelChoice } from './run-choices.ts';

/** The Nyx project and folder-relative path of a document, or a message saying what to do. */
export function locateDocument(findings: FindingsStore, uri: vscode.Uri): { watched: WatchedFolder; path: string } {
  const located = locateFile(findings, uri);
  if (!located) throw new Error(`Nyx: ${vscode.workspace.asRelativePath(uri)} is not in a workspace folder with a selected Nyx project. Run "Nyx: Select Project" first.`);
  return located;
}

/** The open findings of one file, as the Findings view and diagnostics show them. */
export function openFindingsOf(findings: FindingsStore, uri: vscode.Uri): StoredFinding[] {
  const { watched, path } = locateDocument(findings, uri);
  return findings.findingsOf(watched.project.id).filter((finding) => finding.path === path && finding.status === 'open');
}

/** An auto-fix of findings (of one project), on their files as the editor has them now. */
export async function autofixRequest(findings: FindingsStore, findingIds: readonly string[], choice: ModelChoice): Promise<RunRequest> {
  const chosen = findingIds.map((id) => {
    const finding = findings.find(id);
    if (!finding) throw new Error(`Nyx: finding ${id} is not among the open findings of this workspace (fixed, dismissed, or not analyzed yet).`);
    return finding;
  });
  const projectIds = new Set(chosen.map((finding) => finding.projectId));
  if (projectIds.size !== 1) throw new Error('Nyx: auto-fix findings of one project at a time.');
  const watched = findings.watched().find((entry) => entry.project.id === chosen[0]!.projectId);
  if (!watched) throw new Error('Nyx: no workspace folder works on the project of these findings.');
  const paths = [...new Set(chosen.map((finding) => finding.path))];
  const documents = await Promise.all(paths.map(async (path) => ({ path, document: await vscode.workspace.openTextDocument(vscode.Uri.joinPath(watched.folder.uri, path)) })));
  const rules = [...new Set(chosen.map((finding) => finding.ruleId.split('/').pop()))].join(', ');
  return {
    projectId: watched.project.id,
    folder: watched.folder.uri,
    title: `Auto-fix ${chosen.length === 1 ? rules : `${chosen.length} findings`} in ${paths.join(', ')}`,
    documents,
    options: { kind: 'autofix', input: { findingIds: [...findingIds], ...definedOnly(choice) } },
  };
}

/** A refactor of a document (its text as the editor has it), focused on a selection when there is one. */
export function refactorRequest(findings: FindingsStore, document: vscode.TextDocument, selection: vscode.Range | undefined, instruction: string, choice: ModelChoice): RunRequest {
  const { watched, path } = locateDocument(findings, document.uri);
  const range =
    selection && !selection.isEmpty
      ? { path, startLine: selection.start.line + 1, startColumn: selection.start.character + 1, endLine: selection.end.line + 1, endColumn: selection.end.character + 1 }
      : undefined;
  // A selection ending at the start of a line does not include that line.
  const lastLine = range && range.endColumn === 1 && range.endLine > range.startLine ? range.endLine - 1 : range?.endLine;
  const where = range ? `${path}:${range.startLine}-${lastLine}` : path;
  return {
    projectId: watched.project.id,
    folder: watched.folder.uri,
    title: `Refactor ${where}`,
    documents: [{ document, path }],
    options: { kind: 'refactor', input: { instruction, ...(range ? { range } : {}), ...definedOnly(choice) } },
  };
}

function definedOnly(choice: ModelChoice): ModelChoice {
  return { ...(choice.personaId ? { personaId: choice.personaId } : {}), ...(choice.model ? { model: choice.model } : {}) };
}
