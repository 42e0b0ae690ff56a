import * as vscode from 'vscode';
import { NOTE_ENRICHMENT_RUN_KIND } from '../../protocol/notes.ts';
import type { Note } from '../../protocol/notes.ts';
import { isFinalRunStatus } from '../../protocol/runs.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';

/**
 * The selected project's notes. Reloaded when the project or the connection changes, and when a
 * note-enrichment run of the project ends (a teammate's too: the tenant stream reports it).
 */
export class NotesStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private items: Note[] = [];
  private loadedFor: string | undefined;
  private readonly finishedEnrichments = new Set<string>();
  private loading: Promise<void> | undefined;
  private readonly connection: Connection;
  private readonly selection: ProjectSelection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, selection: ProjectSelection, runs: RunsStore, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.selection = selection;
    this.log = log;
    this.register(connection.onDidChange(() => void this.reload()));
    this.register(selection.onDidChange(() => this.selection.current()?.id !== this.loadedFor && void this.reload()));
    this.register(runs.onDidChange(() => this.noticeEnrichments(runs)));
    for (const run of runs.runs) if (isFinalRunStatus(run.status)) this.finishedEnrichments.add(run.id);
    void this.reload();
  }

  /** Newest first. */
  get notes(): Note[] {
    return this.items;
  }

  get(noteId: string): Note | undefined {
    return this.items.find((note) => note.id === noteId);
  }

  async reload(): Promise<void> {
    const load = async () => {
      const projectId = this.selection.current()?.id;
      const client = this.connection.state.kind === 'connected' ? this.connection.state.client : undefined;
      const items = client && projectId ? await client.listNotes(projectId) : [];
      if (this.isDisposed) return;
      this.items = items;
      this.loadedFor = projectId;
      this.changed.fire();
    };
    const next = (this.loading ?? Promise.resolve()).then(load).catch((error: unknown) => this.log.warn(`Could not load the notes: ${errorMessage(error)}`));
    this.loading = next;
    await next;
    if (this.loading === next) this.loading = undefined;
  }

  /** Shows a note the server just answered with (created, enriched) without reloading the list. */
  upsert(note: Note): void {
    if (note.projectId !== this.loadedFor) return;
    const others = this.items.filter((held) => held.id !== note.id);
    this.items = [note, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    this.changed.fire();
  }

  forget(noteId: string): void {
    this.items = this.items.filter((note) => note.id !== noteId);
    this.changed.fire();
  }

  private noticeEnrichments(runs: RunsStore): void {
    let ended = false;
    for (const run of runs.runs) {
      if (run.kind !== NOTE_ENRICHMENT_RUN_KIND || !isFinalRunStatus(run.status) || this.finishedEnrichments.has(run.id)) continue;
      this.finishedEnrichments.add(run.id);
      if (run.projectId === this.loadedFor && run.status === 'succeeded') ended = true;
    }
    if (ended) void this.reload();
  }
}
