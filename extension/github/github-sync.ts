import * as vscode from 'vscode';
import type { RunDoneData } from '#protocol/events.ts';
import type { GithubSyncResult } from '#protocol/github.ts';
import type { Project } from '#protocol/projects.ts';
import type { RunCreated } from '#protocol/runs.ts';
import type { NyxClient } from '../api/client.ts';
import { followRun } from '../analysis/follow-run.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';

/** What the GitHub commands give back (tests read it). */
export interface GithubSyncOutcome {
  run: RunCreated;
  done: RunDoneData | undefined;
  result: GithubSyncResult | undefined;
}

/** Token and API URL given to a command instead of asking (tests, scripts). */
export interface GithubTokenInput {
  token?: string;
  baseUrl?: string;
}

/**
 * Makes sure the team has a GitHub token on the server: a token given as an argument is stored;
 * otherwise, when none is configured, the user is asked for one. It is sent once to the server,
 * which keeps it encrypted; the editor never stores it.
 */
export async function ensureGithubToken(client: NyxClient, given: GithubTokenInput = {}): Promise<boolean> {
  if (given.token) {
    await client.putGithubToken({ token: given.token, baseUrl: given.baseUrl ?? null });
    return true;
  }
  if ((await client.getGithubToken()).configured) return true;
  const token = await vscode.window.showInputBox({
    title: 'GitHub token for your Nyx team',
    prompt: 'A token that can read the repository (fine-grained: Contents read-only). The Nyx server keeps it encrypted for the whole team.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (/^[\x21-\x7e]+$/.test(value.trim()) ? undefined : 'Paste the token (printable characters, no spaces)'),
  });
  if (!token) return false;
  await client.putGithubToken({ token: token.trim(), baseUrl: given.baseUrl ?? null });
  return true;
}

/** Starts a `github-sync` run of the project's repository and follows it with a progress notification. */
export async function syncAndFollow(client: NyxClient, project: Project, runs: RunsStore, trackedRuns: () => TrackedRuns, log: vscode.LogOutputChannel): Promise<GithubSyncOutcome> {
  // A nonce: "Sync" means now, not "the equal sync of two minutes ago" (the dedup window).
  const run = await client.startGithubSync(project.id, { nonce: String(Date.now()) });
  const repository = project.github ? `${project.github.owner}/${project.github.repo}` : 'GitHub';
  log.info(`Syncing ${repository} into "${project.name}" (run ${run.id})`);
  const done = await followRun(run, `sync of ${repository} into ${project.name}`, runs, trackedRuns);
  const result = done?.status === 'succeeded' ? (done.result as GithubSyncResult) : undefined;
  if (result) log.info(`Synced ${repository}@${result.branch} ${result.commitSha.slice(0, 7)}: ${result.files} files, ${result.fetched} fetched, ${result.reused} reused, ${result.skipped} skipped`);
  return { run, done, result };
}
