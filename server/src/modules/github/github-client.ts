import { createHash } from 'node:crypto';
import { Octokit } from '@octokit/rest';

/** A GitHub failure told in words a user can act on. */
export class GithubSyncError extends Error {}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface TreeEntry {
  path: string;
  gitSha: string;
  size: number;
}

export function createGithubClient(token: string, baseUrl: string, signal: AbortSignal): Octokit {
  return new Octokit({ auth: token, baseUrl, userAgent: 'nyx-server', request: { signal }, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : null;
}

/** Runs a GitHub call, turning its HTTP failures into messages that say what to do. */
export async function onGithub<T>(what: string, ref: RepoRef, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = statusOf(error);
    const repo = `${ref.owner}/${ref.repo}`;
    if (status === 401) throw new GithubSyncError(`GitHub rejected the token (401 Bad credentials) while ${what}. Store a valid token with PUT /api/v1/github/token.`);
    if (status === 403) throw new GithubSyncError(`GitHub refused access to ${repo} (403) while ${what}: the token lacks permission, or the rate limit is exhausted. ${(error as Error).message}`);
    if (status === 404) throw new GithubSyncError(`GitHub has no ${what.replace(/^reading /, '')} for ${repo} (404 Not Found): check owner, repository and branch, and that the token can see a private repository.`);
    if (status !== null) throw new GithubSyncError(`GitHub answered ${status} while ${what} of ${repo}: ${(error as Error).message}`);
    throw error;
  }
}

/** Git's own blob id: sha1 of "blob <size>\0" and the bytes. Verifies what was downloaded. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export async function resolveCommit(client: Octokit, ref: RepoRef, branch: string | null): Promise<{ branch: string; commitSha: string; treeSha: string }> {
  const name = branch ?? (await onGithub('reading the repository', ref, () => client.repos.get({ owner: ref.owner, repo: ref.repo }))).data.default_branch;
  const { data } = await onGithub(`reading branch "${name}"`, ref, () => client.repos.getBranch({ ...ref, branch: name }));
  return { branch: name, commitSha: data.commit.sha, treeSha: data.commit.commit.tree.sha };
}

/** Every file (blob) under `scanPath` ('' = root), recursively. Symlinks and submodules are left out. */
export async function listFiles(client: Octokit, ref: RepoRef, treeSha: string, scanPath: string): Promise<TreeEntry[]> {
  const { data } = await onGithub('reading the file tree', ref, () => client.git.getTree({ ...ref, tree_sha: treeSha, recursive: 'true' }));
  if (data.truncated) {
    throw new GithubSyncError(`The tree of ${ref.owner}/${ref.repo} is too large for one GitHub request (truncated). Set a scan path on the project to sync a subfolder.`);
  }
  const prefix = scanPath ? `${scanPath}/` : '';
  return data.tree
    .filter((entry) => entry.type === 'blob' && entry.mode !== '120000' && entry.path !== undefined && entry.sha !== undefined && entry.path.startsWith(prefix))
    .map((entry) => ({ path: entry.path!, gitSha: entry.sha!, size: entry.size ?? 0 }));
}

export async function downloadBlob(client: Octokit, ref: RepoRef, gitSha: string): Promise<Buffer> {
  const { data } = await onGithub(`reading blob ${gitSha}`, ref, () => client.git.getBlob({ ...ref, file_sha: gitSha }));
  const content = Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
  if (gitBlobSha(content) !== gitSha) throw new GithubSyncError(`blob ${gitSha} of ${ref.owner}/${ref.repo} arrived corrupted (its git sha does not match)`);
  return content;
}
