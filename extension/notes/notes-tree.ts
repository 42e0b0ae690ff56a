import * as vscode from 'vscode';
import type { Citation, KnowledgeItemType, Note } from '#protocol/notes.ts';
import { Disposable } from '../lifecycle.ts';
import type { NotesStore } from './notes-store.ts';

export type NotesNode = { kind: 'note'; note: Note } | { kind: 'citation'; note: Note; citation: Citation };

export const KNOWLEDGE_TYPE_LABELS: Record<KnowledgeItemType, string> = {
  memory: 'memory',
  code_pattern: 'code pattern',
  workflow_insight: 'workflow insight',
  note: 'note',
  consolidation: 'recurring theme',
};

const KNOWLEDGE_TYPE_ICONS: Record<KnowledgeItemType, string> = {
  memory: 'lightbulb',
  code_pattern: 'symbol-snippet',
  workflow_insight: 'run-all',
  note: 'note',
  consolidation: 'layers',
};

/** "src/app.ts:12" or "src/app.ts:12-20". */
export function describeLocation(note: Note): string | undefined {
  const at = note.location;
  if (!at) return undefined;
  return `${at.path}:${at.startLine}${at.endLine > at.startLine ? `-${at.endLine}` : ''}`;
}

/**
 * The Notes view: the selected project's notes, newest first. An enriched note unfolds into the
 * items its enrichment cited. A click opens the file at the note's range (or the note itself).
 */
export class NotesTree extends Disposable implements vscode.TreeDataProvider<NotesNode> {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<NotesNode>;
  private readonly store: NotesStore;

  constructor(store: NotesStore) {
    super();
    this.store = store;
    this.register(store.onDidChange(() => this.changed.fire()));
    this.view = this.register(vscode.window.createTreeView('nyx.notes', { treeDataProvider: this }));
  }

  getChildren(element?: NotesNode): NotesNode[] {
    if (!element) return this.store.notes.map((note) => ({ kind: 'note', note }));
    if (element.kind === 'citation') return [];
    return (element.note.enrichment?.citations ?? []).map((citation) => ({ kind: 'citation', note: element.note, citation }));
  }

  getTreeItem(node: NotesNode): vscode.TreeItem {
    return node.kind === 'note' ? noteItem(node.note) : citationItem(node.note, node.citation);
  }
}

function noteItem(note: Note): vscode.TreeItem {
  const cited = note.enrichment?.citations.length ?? 0;
  const item = new vscode.TreeItem(note.title, cited > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = note.id;
  item.iconPath = new vscode.ThemeIcon(note.enrichment ? 'sparkle' : 'note');
  const where = describeLocation(note);
  item.description = where ?? 'project note';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escape(note.title)}**\n\n`);
  if (where) tooltip.appendMarkdown(`\`${escape(where)}\`\n\n`);
  if (note.body) tooltip.appendText(note.body.length > 600 ? `${note.body.slice(0, 600)}…` : note.body);
  if (note.enrichment) tooltip.appendMarkdown(`\n\n*Enriched ${new Date(note.enrichment.createdAt).toLocaleString()}, ${cited} source${cited === 1 ? '' : 's'} cited*`);
  item.tooltip = tooltip;
  item.contextValue = note.enrichment ? 'nyx.note.enriched' : 'nyx.note';
  item.command = { command: 'nyx.openNote', title: 'Open Note', arguments: [note.id] };
  item.accessibilityInformation = { label: `Note ${note.title}${where ? ` on ${where}` : ''}${note.enrichment ? `, enriched with ${cited} sources` : ''}` };
  return item;
}

function citationItem(note: Note, citation: Citation): vscode.TreeItem {
  const item = new vscode.TreeItem(`${citation.ref} ${citation.title}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${note.id}/${citation.ref}`;
  item.iconPath = new vscode.ThemeIcon(KNOWLEDGE_TYPE_ICONS[citation.type]);
  item.description = `${KNOWLEDGE_TYPE_LABELS[citation.type]} · ${similarityInWords(citation.similarity)}`;
  item.tooltip = `${citation.ref} ${KNOWLEDGE_TYPE_LABELS[citation.type]}: ${citation.title}\n${similarityInWords(citation.similarity)} (${Math.round(citation.similarity * 100)}% similar)\n${citation.id}`;
  item.contextValue = 'nyx.note.citation';
  item.command = { command: 'nyx.showNote', title: 'Show Note', arguments: [note.id] };
  return item;
}

/** Cosine similarity of the note and the cited item, as a reader would say it. */
export function similarityInWords(similarity: number): string {
  if (similarity >= 0.8) return 'very close';
  if (similarity >= 0.6) return 'close';
  if (similarity >= 0.4) return 'related';
  return 'loosely related';
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
