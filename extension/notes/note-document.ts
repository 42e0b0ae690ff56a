import * as vscode from 'vscode';
import type { Note } from '#protocol/notes.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { describeLocation } from './notes-tree.ts';

export const NOTE_SCHEME = 'nyx-note';

/**
 * Notes as read-only Markdown documents (`nyx-note:/<id>/<title>.md`), shown in the Markdown
 * preview: the note, the code it quotes, and its enrichment with the cited sources.
 */
export class NoteDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly connection: Connection;

  constructor(connection: Connection) {
    super();
    this.connection = connection;
    this.register(vscode.workspace.registerTextDocumentContentProvider(NOTE_SCHEME, this));
  }

  uriOf(note: Pick<Note, 'id' | 'title'>): vscode.Uri {
    const name = note.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'note';
    return vscode.Uri.from({ scheme: NOTE_SCHEME, path: `/${note.id}/${name}.md` });
  }

  /** Re-reads an open note document (after an enrichment or an edit). */
  refresh(note: Pick<Note, 'id' | 'title'>): void {
    this.changed.fire(this.uriOf(note));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const noteId = uri.path.split('/')[1] ?? '';
    return renderNote(await this.connection.requireClient().getNote(noteId));
  }
}

export function renderNote(note: Note): string {
  const lines = [`# ${note.title}`, ''];
  const where = describeLocation(note);
  lines.push(`*${where ? `On \`${where}\` · ` : ''}written ${new Date(note.createdAt).toLocaleString()}*`, '');
  if (note.body) lines.push(note.body, '');
  const enrichment = note.enrichment;
  if (!enrichment) {
    lines.push('---', '', '*Not enriched yet: "Nyx: Enrich Note" adds what the project has learned that relates to it.*');
    return lines.join('\n');
  }
  // The enrichment ends with the server's "Sources" list: exactly the cited items.
  lines.push('---', '', '## Enrichment', '', `*${enrichment.model ? `Written by ${enrichment.model}` : 'Template (no AI provider configured)'} · ${new Date(enrichment.createdAt).toLocaleString()} · ${enrichment.citations.length} cited*`, '', enrichment.markdown, '');
  return lines.join('\n');
}
