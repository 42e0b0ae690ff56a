import type * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { registerAddNoteCommand } from './add-note.command.ts';
import { registerDeleteNoteCommand } from './delete-note.command.ts';
import { registerEnrichNoteCommand } from './enrich-note.command.ts';
import { NoteDocuments } from './note-document.ts';
import { registerNoteOpeningCommands } from './open-note.command.ts';
import { NotesStore } from './notes-store.ts';
import { NotesTree } from './notes-tree.ts';

export interface NotesFeatureDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  log: vscode.LogOutputChannel;
}

/** Project notes in the editor: Add Note from a selection, the Notes view, enrichment, deletion. */
export class NotesFeature extends Disposable {
  readonly store: NotesStore;
  readonly tree: NotesTree;
  readonly documents: NoteDocuments;

  constructor({ connection, selection, runs, trackedRuns, log }: NotesFeatureDeps) {
    super();
    this.store = this.register(new NotesStore(connection, selection, runs, log));
    this.tree = this.register(new NotesTree(this.store));
    this.documents = this.register(new NoteDocuments(connection));
    this.register(registerAddNoteCommand(connection, selection, this.store, log));
    this.register(registerNoteOpeningCommands(connection, this.store, this.documents, log));
    this.register(registerEnrichNoteCommand(connection, this.store, runs, trackedRuns, log));
    this.register(registerDeleteNoteCommand(connection, this.store, log));
    this.register(registerCommand('nyx.refreshNotes', log, () => this.store.reload()));
  }
}
