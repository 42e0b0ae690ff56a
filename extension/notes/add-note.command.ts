import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { Note, NoteLocation } from '#protocol/notes.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { NotesStore } from './notes-store.ts';
import { selectedProjectOrAsk } from './selected-project.ts';

/** Titles are one line; the rest of what was typed goes to the body. */
const TITLE_MAX = 120;

/**
 * "Nyx: Add Note": a note on the selection of the active editor (its file and range, the selected
 * text quoted), with the text the user types (or the `text` argument). Answers the created note.
 */
export function registerAddNoteCommand(connection: Connection, selection: ProjectSelection, store: NotesStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.addNote', log, async (text?: string): Promise<Note | undefined> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error('Select the code the note is about in an editor, then run "Nyx: Add Note".');
    const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri);
    if (!folder) throw new Error('Notes are on files of the workspace: this file is outside its folders.');
    const client = connection.requireClient();
    const project = await selectedProjectOrAsk(selection, folder);
    if (!project) return undefined;

    const location = locationOf(editor, folder);
    const written = text ?? (await vscode.window.showInputBox({
      title: `Nyx: note on ${location.path}:${location.startLine}`,
      prompt: `For the team, in ${project.name}. The first line is the title.`,
      placeHolder: 'Why this code is the way it is, what to watch out for…',
      validateInput: (value) => (value.trim() ? undefined : 'Write the note'),
    }));
    if (!written?.trim()) return undefined;

    const [firstLine = '', ...rest] = written.trim().split(/\r?\n/);
    const title = firstLine.length > TITLE_MAX ? `${firstLine.slice(0, TITLE_MAX - 1)}…` : firstLine;
    const own = [firstLine.length > TITLE_MAX ? firstLine : '', ...rest].join('\n').trim();
    const body = [own, quoteSelection(editor, location)].filter(Boolean).join('\n\n');
    const note = await client.createNote(project.id, { title, body, location });
    store.upsert(note);
    log.info(`Added note ${note.id} on ${location.path}:${location.startLine}`);
    return note;
  });
}

/** 1-based lines and columns (as findings); an empty selection means its whole line. */
function locationOf(editor: vscode.TextEditor, folder: vscode.WorkspaceFolder): NoteLocation {
  const range = editor.selection.isEmpty ? editor.document.lineAt(editor.selection.active.line).range : editor.selection;
  // Workspace-relative with forward slashes, whatever the OS (the server refuses anything else).
  const path = posix.relative(folder.uri.path, editor.document.uri.path);
  return { path, startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

function quoteSelection(editor: vscode.TextEditor, location: NoteLocation): string {
  const range = new vscode.Range(location.startLine - 1, location.startColumn - 1, location.endLine - 1, location.endColumn - 1);
  const code = editor.document.getText(range);
  if (!code.trim()) return '';
  // A fence longer than any backtick run inside the code keeps it intact.
  const longestRun = Math.max(2, ...[...code.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const lines = location.endLine > location.startLine ? `lines ${location.startLine}-${location.endLine}` : `line ${location.startLine}`;
  return `From \`${location.path}\`, ${lines}:\n\n${fence}${editor.document.languageId}\n${code}\n${fence}`;
}
