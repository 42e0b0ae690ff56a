import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { Severity, SourceRange } from '#protocol/findings.ts';
import type { FindingsStore, WatchedFolder } from './findings-store.ts';
import { relativePath } from './workspace-files.ts';

/**
 * Where findings are in the editor. The protocol counts lines and columns from 1 (columns in
 * UTF-16 code units, end exclusive); VS Code counts both from 0 (characters in UTF-16 code units,
 * end exclusive). So each number is one less and nothing else changes.
 */
export function toVscodeRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.startLine - 1, range.startColumn - 1, range.endLine - 1, range.endColumn - 1);
}

export function toDiagnosticSeverity(severity: Severity): vscode.DiagnosticSeverity {
  if (severity === 'error') return vscode.DiagnosticSeverity.Error;
  if (severity === 'warning') return vscode.DiagnosticSeverity.Warning;
  return vscode.DiagnosticSeverity.Information;
}

/** The file a finding is about, in a folder that works on its project. */
export function findingUri(folder: vscode.WorkspaceFolder, finding: StoredFinding): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, finding.path);
}

/** The watched folder holding a file, with the file's folder-relative path. */
export function locateFile(store: FindingsStore, uri: vscode.Uri): { watched: WatchedFolder; path: string } | undefined {
  for (const watched of store.watched()) {
    const path = relativePath(watched.folder, uri);
    if (path !== undefined) return { watched, path };
  }
  return undefined;
}

/** The finding a Nyx diagnostic stands for: same file, rule and range (VS Code hands providers copies of diagnostics). */
export function findingOfDiagnostic(store: FindingsStore, uri: vscode.Uri, diagnostic: vscode.Diagnostic): StoredFinding | undefined {
  if (diagnostic.source !== 'Nyx') return undefined;
  const located = locateFile(store, uri);
  if (!located) return undefined;
  const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
  return store
    .findingsOf(located.watched.project.id)
    .find((finding) => finding.path === located.path && finding.ruleId === ruleId && toVscodeRange(finding.range).isEqual(diagnostic.range));
}

/** A finding id from a command argument: the id itself (code actions), or a Findings view node (its context menu). */
export function findingIdFrom(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  const node = argument as { kind?: string; located?: { finding?: { id?: string } }; findingId?: string } | undefined;
  return node?.located?.finding?.id ?? node?.findingId;
}
