import * as vscode from 'vscode';
import type { Note } from '#protocol/notes.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { currentFolder } from '../projects/project-selection.ts';
import type { NoteDocuments } from './note-document.ts';
import { resolveNoteId } from './note-target.ts';
import type { NoteTarget } from './note-target.ts';
import type { NotesStore } from './notes-store.ts';

/**
 * "Nyx: Open Note" (a click in the Notes view): the file at the note's range when the note is on a
 * file of this workspace, else the note itself. "Nyx: Show Note" always shows the note, with its
 * enrichment, in the Markdown preview, and answers the Markdown shown.
 */
export function registerNoteOpeningCommands(connection: Connection, store: NotesStore, documents: NoteDocuments, log: vscode.LogOutputChannel): vscode.Disposable {
  const noteOf = async (target: NoteTarget, action: string): Promise<Note | undefined> => {
    const noteId = await resolveNoteId(target, store, action);
    if (!noteId) return undefined;
    return connection.requireClient().getNote(noteId);
  };
  const show = async (note: Note): Promise<string> => {
    documents.refresh(note);
    const document = await vscode.workspace.openTextDocument(documents.uriOf(note));
    try {
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
    } catch {
      await vscode.window.showTextDocument(document, { preview: true });
    }
    return document.getText();
  };
  return vscode.Disposable.from(
    registerCommand('nyx.openNote', log, async (target?: NoteTarget): Promise<vscode.Uri | undefined> => {
      const note = await noteOf(target, 'Open Note');
      if (!note) return undefined;
      const file = await fileOf(note);
      if (!file || !note.location) {
        await show(note);
        return documents.uriOf(note);
      }
      const { startLine, startColumn, endLine, endColumn } = note.location;
      const range = new vscode.Range(startLine - 1, startColumn - 1, endLine - 1, endColumn - 1);
      await vscode.window.showTextDocument(file, { selection: range, preview: true });
      return file;
    }),
    registerCommand('nyx.showNote', log, async (target?: NoteTarget): Promise<string | undefined> => {
      const note = await noteOf(target, 'Show Note');
      return note ? show(note) : undefined;
    }),
  );
}

/** The note's file in this workspace, if it is there. */
async function fileOf(note: Note): Promise<vscode.Uri | undefined> {
  const folder = currentFolder();
  if (!note.location || !folder) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, note.location.path);
  try {
    await vscode.workspace.fs.stat(uri);
    return uri;
  } catch {
    return undefined;
  }
}
