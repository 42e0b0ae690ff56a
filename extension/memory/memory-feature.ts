import * as vscode from 'vscode';
import type { MemorySearchHit } from '#protocol/memory.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import { registerRememberCommand } from './remember.command.ts';
import { registerSearchMemoryCommand } from './search-memory.command.ts';

/** Project memory in the editor: "Search Project Memory..." and "Remember...". */
export class MemoryFeature extends Disposable {
  private readonly shownHits = this.register(new vscode.EventEmitter<MemorySearchHit[]>());
  /** Every list of hits the search quick pick shows (tests wait on it before accepting one). */
  readonly onDidShowHits = this.shownHits.event;

  constructor(connection: Connection, selection: ProjectSelection, log: vscode.LogOutputChannel) {
    super();
    this.register(registerSearchMemoryCommand(connection, selection, (hits) => this.shownHits.fire(hits), log));
    this.register(registerRememberCommand(connection, selection, log));
  }
}
