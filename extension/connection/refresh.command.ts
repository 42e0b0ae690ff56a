import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { ProjectsStore } from '../projects/projects-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { Connection } from './connection.ts';

/** "Nyx: Refresh": reconnects when not connected, else reloads projects and runs. */
export function registerRefreshCommand(connection: Connection, projects: ProjectsStore, runs: RunsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.refresh', log, async (): Promise<void> => {
    if (connection.state.kind !== 'connected') {
      const state = await connection.connect();
      if (state.kind === 'offline') throw new Error(state.message);
      if (state.kind === 'signedOut') throw new Error(state.reason ?? `Not signed in to the Nyx server at ${state.serverUrl}. Run "Nyx: Sign In" first.`);
      return;
    }
    await Promise.all([projects.reload(), runs.reload()]);
  });
}
