import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { resolveNoteId } from './note-target.ts';
import type { NoteTarget } from './note-target.ts';
import type { NotesStore } from './notes-store.ts';

/** "Nyx: Delete Note": for the whole team, after a modal confirmation (skipped with `{ confirmed: true }`). */
export function registerDeleteNoteCommand(connection: Connection, store: NotesStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.deleteNote', log, async (target?: NoteTarget, options?: { confirmed?: boolean }): Promise<boolean> => {
    const noteId = await resolveNoteId(target, store, 'Delete Note');
    if (!noteId) return false;
    if (!options?.confirmed) {
      const title = store.get(noteId)?.title ?? 'this note';
      const choice = await vscode.window.showWarningMessage(`Delete the note "${title}"?`, { modal: true, detail: 'It is deleted for everyone on the team.' }, 'Delete');
      if (choice !== 'Delete') return false;
    }
    await connection.requireClient().deleteNote(noteId);
    store.forget(noteId);
    return true;
  });
}
