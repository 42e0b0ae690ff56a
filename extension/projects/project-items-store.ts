import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { NyxClient } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { ProjectSelection } from './project-selection.ts';

export interface ProjectItemsStoreOptions<Item> {
  /** What the list holds, for the log ("notes", "reports"). */
  what: string;
  load(client: NyxClient, projectId: string): Promise<Item[]>;
}

/**
 * One list of the selected project (notes, reports), as the server last answered it: reloaded
 * when the connection or the selected project changes, empty when either is missing. Loads run
 * one at a time; a reload asked for during one runs after it, since it may see newer data.
 */
export class ProjectItemsStore<Item extends { id: string }> extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private loaded: Item[] = [];
  private loadedFor: string | undefined;
  private loading: Promise<void> | undefined;
  private readonly options: ProjectItemsStoreOptions<Item>;
  protected readonly connection: Connection;
  protected readonly selection: ProjectSelection;
  protected readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, selection: ProjectSelection, log: vscode.LogOutputChannel, options: ProjectItemsStoreOptions<Item>) {
    super();
    this.connection = connection;
    this.selection = selection;
    this.log = log;
    this.options = options;
    this.register(connection.onDidChange(() => void this.reload()));
    this.register(selection.onDidChange(() => this.selection.current()?.id !== this.loadedFor && void this.reload()));
    void this.reload();
  }

  /** The project the list was loaded for. */
  get projectId(): string | undefined {
    return this.loadedFor;
  }

  protected get items(): Item[] {
    return this.loaded;
  }

  /** Reads the list again; resolves when the view shows the server's answer. */
  async reload(): Promise<void> {
    const load = async () => {
      const projectId = this.selection.current()?.id;
      const client = this.connection.state.kind === 'connected' ? this.connection.state.client : undefined;
      const items = client && projectId ? await this.options.load(client, projectId) : [];
      if (this.isDisposed) return;
      this.loadedFor = projectId;
      this.replace(items);
    };
    const next = (this.loading ?? Promise.resolve()).then(load).catch((error: unknown) => this.log.warn(`Could not load the ${this.options.what}: ${errorMessage(error)}`));
    this.loading = next;
    await next;
    if (this.loading === next) this.loading = undefined;
  }

  /** Removes an item from the list at once (after the server deleted it). */
  forget(id: string): void {
    this.replace(this.loaded.filter((item) => item.id !== id));
  }

  protected replace(items: Item[]): void {
    this.loaded = items;
    this.changed.fire();
  }

  /**
   * Calls `react` when runs that `matters` picks reach a final status (once per run; runs that
   * were final before this store existed are not news). The tenant stream reports teammates' runs too.
   */
  protected onRunsEnded(runs: RunsStore, matters: (run: Run) => boolean, react: () => void): void {
    const seen = new Set(runs.runs.filter((run) => isFinalRunStatus(run.status)).map((run) => run.id));
    this.register(
      runs.onDidChange(() => {
        let ended = false;
        for (const run of runs.runs) {
          if (!isFinalRunStatus(run.status) || seen.has(run.id)) continue;
          seen.add(run.id);
          if (matters(run)) ended = true;
        }
        if (ended) react();
      }),
    );
  }
}
