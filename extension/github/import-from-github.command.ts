import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { ProjectsStore } from '../projects/projects-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { ensureGithubToken, syncAndFollow } from './github-sync.ts';
import type { GithubSyncOutcome, GithubTokenInput } from './github-sync.ts';

const GITHUB_NAME = /^[A-Za-z0-9_.-]+$/;

/** Everything the command would ask, given as an argument instead (tests, scripts). */
export interface ImportFromGithubInput extends GithubTokenInput {
  owner?: string;
  repo?: string;
  /** Empty: the repository's default branch. */
  branch?: string;
  /** A subfolder to analyze; empty or "/": the repository root. */
  scanPath?: string;
}

/**
 * "Nyx: Import from GitHub": links the selected project to a repository (owner/repo, branch,
 * scan path), stores the team's GitHub token on the server if it has none, and runs the first sync.
 */
export function registerImportFromGithubCommand(connection: Connection, selection: ProjectSelection, projects: ProjectsStore, runs: RunsStore, trackedRuns: () => TrackedRuns, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.importFromGithub', log, async (input: ImportFromGithubInput = {}): Promise<GithubSyncOutcome | undefined> => {
    const client = connection.requireClient();
    if (!selection.current()) await vscode.commands.executeCommand('nyx.selectProject');
    const selected = selection.current();
    if (!selected) return undefined;
    const project = await client.getProject(selected.id);
    if (project.github && !input.owner) {
      const sync = 'Sync Now';
      const picked = await vscode.window.showInformationMessage(`"${project.name}" already imports ${project.github.owner}/${project.github.repo}.`, sync);
      return picked === sync ? vscode.commands.executeCommand<GithubSyncOutcome | undefined>('nyx.syncFromGithub') : undefined;
    }

    const ownerRepo = input.owner && input.repo ? `${input.owner}/${input.repo}` : await askOwnerRepo();
    if (!ownerRepo) return undefined;
    const [owner, repo] = ownerRepo.split('/');
    const branch = input.branch ?? (await ask('Branch', 'Empty: the repository\'s default branch', ''));
    if (branch === undefined) return undefined;
    const scanPath = input.scanPath ?? (await ask('Scan path', 'A folder of the repository to analyze; "/" or empty: the whole repository', '/'));
    if (scanPath === undefined) return undefined;

    const linked = await client.updateProject(project.id, { github: { owner, repo, ...(branch.trim() ? { branch: branch.trim() } : {}) }, scanPath });
    await projects.reload();
    if (!(await ensureGithubToken(client, input))) return undefined;
    return syncAndFollow(client, linked, runs, trackedRuns, log);
  });
}

async function askOwnerRepo(): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Import from GitHub (1/3)',
    prompt: 'The repository, as owner/repo',
    placeHolder: 'octocat/hello-world',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parts = text.trim().replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '').split('/');
      return parts.length === 2 && parts.every((part) => GITHUB_NAME.test(part)) ? undefined : 'owner/repo: letters, digits, ".", "-" and "_"';
    },
  });
  return value?.trim().replace(/^https:\/\/github\.com\//, '').replace(/\.git$/, '');
}

function ask(what: string, prompt: string, value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: `Import from GitHub: ${what}`, prompt, value, ignoreFocusOut: true });
}
