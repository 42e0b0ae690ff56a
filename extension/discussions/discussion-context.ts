import * as vscode from 'vscode';
import type { ContextFile } from '#protocol/discussions.ts';

/** The server takes at most 200,000 characters per file; a larger file goes in cut, and says so. */
const MAX_FILE_CHARS = 200_000;

export interface EditorContext {
  files: ContextFile[];
  selection: { path: string; startLine: number; endLine: number; text: string } | null;
}

/**
 * What the active editor contributes to a discussion: its file, and the selection when there is
 * one (1-based lines). Paths are workspace-relative, as the personas should quote them.
 */
export function editorContext(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor): EditorContext {
  if (!editor || editor.document.uri.scheme === 'output') return { files: [], selection: null };
  const document = editor.document;
  const path = vscode.workspace.asRelativePath(document.uri, false);
  let content = document.getText();
  if (content.length > MAX_FILE_CHARS) content = `${content.slice(0, MAX_FILE_CHARS - 40)}\n… (cut at ${MAX_FILE_CHARS} characters)`;
  const file: ContextFile = { path, content, language: document.languageId.slice(0, 40) };
  const range = editor.selection;
  const selection = range.isEmpty
    ? null
    : { path, startLine: range.start.line + 1, endLine: range.end.line + 1, text: document.getText(range).slice(0, 100_000) };
  return { files: [file], selection };
}
