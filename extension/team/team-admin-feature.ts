// Wires the team administration features into the extension: the Team view, its commands, and
// "Nyx: Create Access Token". One call from activate(); everything it creates is owned here.
import type * as vscode from 'vscode';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { registerCreateTokenCommand } from './create-token.command.ts';
import { registerTeamAdminCommands } from './team-admin-commands.ts';
import { TeamAdminStore } from './team-admin-store.ts';
import { TeamAdminTree } from './team-admin-tree.ts';

export class TeamAdminFeature extends Disposable {
  readonly store: TeamAdminStore;
  readonly tree: TeamAdminTree;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.store = this.register(new TeamAdminStore(connection, log));
    this.tree = this.register(new TeamAdminTree(this.store));
    this.register(registerCreateTokenCommand(connection, log));
    for (const command of registerTeamAdminCommands(connection, this.store, log)) this.register(command);
  }
}
