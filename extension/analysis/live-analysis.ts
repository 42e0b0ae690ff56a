import * as vscode from 'vscode';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';
import { readAnalysisConfig } from './analysis-config.ts';
import { locateFile } from './finding-locations.ts';
import type { FindingsStore, WatchedFolder } from './findings-store.ts';
import type { IncrementalOutcome } from './incremental-analysis.ts';
import type { TextChange } from './range-shift.ts';
import type { WorkspaceAnalyzer } from './workspace-analyzer.ts';

/** Saves in a burst (Save All, format on save) become one analysis. */
const SAVE_DEBOUNCE_MS = 250;
/** As you type: after a pause. */
const TYPE_DEBOUNCE_MS = 1_000;
/** After a quick fix, undo or redo: at once, so the squiggle matches the code. */
const EDIT_DEBOUNCE_MS = 50;

export interface LiveAnalysisOutcome {
  projectId: string;
  paths: string[];
  outcome: IncrementalOutcome | undefined;
  error?: string;
}

type Pending = { watched: WatchedFolder; documents: Map<string, vscode.TextDocument>; timer: NodeJS.Timeout | undefined };

/**
 * Live analysis (`nyx.analysis.liveMode`): changed files are analyzed by themselves, on save
 * (default), after a pause in typing, or not at all. A quick fix, an undo and a redo re-analyze the
 * touched file in every mode but `off`. Until the answer comes, markers move with the edits.
 * Background work never asks anything: in Restricted Mode it waits for trust without a word.
 * One analysis per folder at a time; changes that arrive meanwhile go in the next one.
 */
export class LiveAnalysis extends Disposable {
  private readonly analyzed = this.register(new vscode.EventEmitter<LiveAnalysisOutcome>());
  /** After each live analysis (tests and the benchmark's in-host twin wait on it). */
  readonly onDidAnalyze = this.analyzed.event;
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly store: FindingsStore;
  private readonly analyzer: WorkspaceAnalyzer;
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(store: FindingsStore, analyzer: WorkspaceAnalyzer, connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.store = store;
    this.analyzer = analyzer;
    this.connection = connection;
    this.log = log;
    this.register(vscode.workspace.onDidSaveTextDocument((document) => this.onSave(document)));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)));
    // What was saved before trust was granted is analyzed then.
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.flushAll()));
    this.register(toDisposable(() => this.pending.forEach((entry) => clearTimeout(entry.timer))));
  }

  /** Analyze this document soon, as it is then (a quick fix was applied; tests). */
  queue(document: vscode.TextDocument, delayMs = EDIT_DEBOUNCE_MS): void {
    const located = locateFile(this.store, document.uri);
    if (!located || readAnalysisConfig(located.watched.folder).liveMode === 'off') return;
    const key = located.watched.folder.uri.toString();
    const entry = this.pending.get(key) ?? { watched: located.watched, documents: new Map(), timer: undefined };
    entry.documents.set(located.path, document);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.flush(key), delayMs);
    this.pending.set(key, entry);
  }

  private onSave(document: vscode.TextDocument): void {
    const located = locateFile(this.store, document.uri);
    if (located && readAnalysisConfig(located.watched.folder).liveMode !== 'off') this.queue(document, SAVE_DEBOUNCE_MS);
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const located = locateFile(this.store, event.document.uri);
    if (!located) return;
    this.store.moveMarkers(located.watched.project.id, located.path, event.contentChanges.map(toTextChange));
    const mode = readAnalysisConfig(located.watched.folder).liveMode;
    if (mode === 'off') return;
    if (event.reason === vscode.TextDocumentChangeReason.Undo || event.reason === vscode.TextDocumentChangeReason.Redo) this.queue(event.document, EDIT_DEBOUNCE_MS);
    else if (mode === 'onType') this.queue(event.document, TYPE_DEBOUNCE_MS);
  }

  private flushAll(): void {
    for (const key of this.pending.keys()) this.flush(key);
  }

  private flush(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    if (!vscode.workspace.isTrusted || this.connection.state.kind !== 'connected') return; // kept until trust / connection
    if (this.running.has(key)) return; // picked up when the running one ends
    this.pending.delete(key);
    const run = this.analyze(entry).finally(() => {
      this.running.delete(key);
      if (this.pending.has(key)) this.flush(key);
    });
    this.running.set(key, run);
  }

  private async analyze(entry: Pending): Promise<void> {
    const paths = [...entry.documents.keys()];
    const projectId = entry.watched.project.id;
    try {
      const client = this.connection.requireClient();
      const changes = [...entry.documents].map(([path, document]) => ({ path, content: Buffer.from(document.getText(), 'utf8') }));
      const outcome = await this.analyzer.analyzeChanged(client, entry.watched.folder, entry.watched.project, changes);
      this.analyzed.fire({ projectId, paths, outcome });
    } catch (error) {
      this.log.warn(`Live analysis of ${paths.join(', ')} failed: ${errorMessage(error)}`);
      this.analyzed.fire({ projectId, paths, outcome: undefined, error: errorMessage(error) });
    }
  }
}

function toTextChange(change: vscode.TextDocumentContentChangeEvent): TextChange {
  const { start, end } = change.range;
  return { range: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 }, text: change.text };
}
