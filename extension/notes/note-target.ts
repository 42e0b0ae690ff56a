import * as vscode from 'vscode';
import type { Note } from '#protocol/notes.ts';
import type { NotesNode } from './notes-tree.ts';
import type { NotesStore } from './notes-store.ts';
import { describeLocation } from './notes-tree.ts';

/** What note commands are called with: a tree node, a note, an id, or nothing (then: ask). */
export type NoteTarget = NotesNode | Note | string | undefined;

export async function resolveNoteId(target: NoteTarget, store: NotesStore, action: string): Promise<string | undefined> {
  if (typeof target === 'string') return target;
  if (target && 'kind' in target && (target.kind === 'note' || target.kind === 'citation')) return target.note.id;
  if (target && 'id' in target) return target.id;
  if (store.notes.length === 0) await store.reload();
  const picked = await vscode.window.showQuickPick(
    store.notes.map((note) => ({ label: note.title, description: describeLocation(note) ?? 'project note', id: note.id })),
    { title: `Nyx: ${action}`, placeHolder: store.notes.length ? 'Which note?' : 'The selected project has no notes yet' },
  );
  return picked?.id;
}
