import * as vscode from 'vscode';
import { ServerProblemError } from '../api/errors.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { ensureGithubToken, syncAndFollow } from './github-sync.ts';
import type { GithubSyncOutcome, GithubTokenInput } from './github-sync.ts';

/**
 * "Nyx: Sync from GitHub": a `github-sync` run of the selected project's repository (only blobs
 * whose git sha changed are downloaded). A project without a repository is offered the import;
 * a team without a token is asked for one.
 */
export function registerSyncFromGithubCommand(connection: Connection, selection: ProjectSelection, runs: RunsStore, trackedRuns: () => TrackedRuns, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.syncFromGithub', log, async (input: GithubTokenInput = {}): Promise<GithubSyncOutcome | undefined> => {
    const client = connection.requireClient();
    if (!selection.current()) await vscode.commands.executeCommand('nyx.selectProject');
    const selected = selection.current();
    if (!selected) return undefined;
    const project = await client.getProject(selected.id);
    if (!project.github) {
      const importAction = 'Import from GitHub';
      const picked = await vscode.window.showInformationMessage(`"${project.name}" is not linked to a GitHub repository yet.`, importAction);
      return picked === importAction ? vscode.commands.executeCommand<GithubSyncOutcome | undefined>('nyx.importFromGithub') : undefined;
    }
    if (input.token && !(await ensureGithubToken(client, input))) return undefined;
    try {
      return await syncAndFollow(client, project, runs, trackedRuns, log);
    } catch (error) {
      // 409: the team has no token yet. Ask for one, then sync.
      if (!(ServerProblemError.is(error) && error.status === 409) || !(await ensureGithubToken(client, input))) throw error;
      return syncAndFollow(client, project, runs, trackedRuns, log);
    }
  });
}
