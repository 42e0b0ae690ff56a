import * as vscode from 'vscode';
import type { Note } from '#protocol/notes.ts';
import { followRun } from '../analysis/follow-run.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { resolveNoteId } from './note-target.ts';
import type { NoteTarget } from './note-target.ts';
import type { NotesStore } from './notes-store.ts';

/**
 * "Nyx: Enrich Note": starts a note-enrichment run, follows it with the runs' progress
 * notification, then shows the enriched note with the items it cites. Answers the enriched note
 * (`{ show: false }` skips showing it).
 */
export function registerEnrichNoteCommand(connection: Connection, store: NotesStore, runs: RunsStore, trackedRuns: () => TrackedRuns, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.enrichNote', log, async (target?: NoteTarget, options?: { show?: boolean }): Promise<Note | undefined> => {
    const noteId = await resolveNoteId(target, store, 'Enrich Note');
    if (!noteId) return undefined;
    const client = connection.requireClient();
    const title = store.get(noteId)?.title ?? 'note';
    const run = await client.enrichNote(noteId);
    log.info(`Enriching note ${noteId}: run ${run.id}${run.deduplicated ? ' (an equal run was already there)' : ''}`);
    const done = await followRun(run, `enrichment of "${title}"`, runs, trackedRuns);
    if (!done) return undefined; // the window reloaded: the resumed notification reports the outcome
    if (done.status !== 'succeeded') throw new Error(`The enrichment of "${title}" ${done.status}${done.error ? `: ${done.error}` : ''}`);
    const note = await client.getNote(noteId);
    store.upsert(note);
    if (options?.show !== false) await vscode.commands.executeCommand('nyx.showNote', note.id);
    return note;
  });
}
