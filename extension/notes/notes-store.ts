import type * as vscode from 'vscode';
import { NOTE_ENRICHMENT_RUN_KIND } from '#protocol/notes.ts';
import type { Note } from '#protocol/notes.ts';
import type { Run } from '#protocol/runs.ts';
import type { Connection } from '../connection/connection.ts';
import { ProjectItemsStore } from '../projects/project-items-store.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';

/**
 * The selected project's notes. Reloaded when the project or the connection changes, and when a
 * note-enrichment run of the project ends (a teammate's too: the tenant stream reports it).
 */
export class NotesStore extends ProjectItemsStore<Note> {
  constructor(connection: Connection, selection: ProjectSelection, runs: RunsStore, log: vscode.LogOutputChannel) {
    super(connection, selection, log, { what: 'notes', load: (client, projectId) => client.listNotes(projectId) });
    const enrichedHere = (run: Run) => run.kind === NOTE_ENRICHMENT_RUN_KIND && run.projectId === this.projectId && run.status === 'succeeded';
    this.onRunsEnded(runs, enrichedHere, () => void this.reload());
  }

  /** Newest first. */
  get notes(): Note[] {
    return this.items;
  }

  get(noteId: string): Note | undefined {
    return this.items.find((note) => note.id === noteId);
  }

  /** Shows a note the server just answered with (created, enriched) without reloading the list. */
  upsert(note: Note): void {
    if (note.projectId !== this.projectId) return;
    const others = this.items.filter((held) => held.id !== note.id);
    this.replace([note, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  }
}
