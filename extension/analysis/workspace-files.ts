import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { GitIgnore } from '#protocol/gitignore.ts';

/** How the file list was made, for the log and the command's result. */
export type FileListSource = 'git' | 'findFiles';

export interface WorkspaceFileList {
  source: FileListSource;
  /** Folder-relative paths with forward slashes, sorted. */
  paths: string[];
}

/**
 * The files of a workspace folder that a snapshot should hold: what git would commit.
 *
 * - In a git repository: `git ls-files --cached --others --exclude-standard`, which applies every
 *   .gitignore (nested ones too), .git/info/exclude and the user's global excludes exactly as
 *   git does.
 * - Elsewhere (or without git on PATH): `vscode.workspace.findFiles` with the `files.exclude` and
 *   `search.exclude` settings, then the folder's root `.gitignore` (protocol/gitignore.ts, shared with `nyx analyze`).
 */
export async function listWorkspaceFiles(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<WorkspaceFileList> {
  if (folder.uri.scheme === 'file' && (await exists(vscode.Uri.joinPath(folder.uri, '.git')))) {
    const paths = await gitListFiles(folder.uri.fsPath).catch(() => undefined);
    // A file with merge conflicts is listed once per stage.
    if (paths) return { source: 'git', paths: [...new Set(paths)].sort() };
  }
  return { source: 'findFiles', paths: await findNonIgnoredFiles(folder, token) };
}

function gitListFiles(cwd: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(stdout.split('\0').filter((path) => path !== ''));
    });
  });
}

async function findNonIgnoredFiles(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<string[]> {
  const excludes = [...enabledGlobs(folder, 'files'), ...enabledGlobs(folder, 'search'), '**/.git/**'];
  const exclude = new vscode.RelativePattern(folder, `{${excludes.join(',')}}`);
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, undefined, token);
  const gitignore = await readRootGitignore(folder);
  const paths = uris.map((uri) => relativePath(folder, uri)).filter((path): path is string => path !== undefined);
  return paths.filter((path) => !gitignore?.ignores(path)).sort();
}

/** Globs of `files.exclude` / `search.exclude` set to true (conditional `{ when }` entries are left out). */
function enabledGlobs(folder: vscode.WorkspaceFolder, section: 'files' | 'search'): string[] {
  const settings = vscode.workspace.getConfiguration(section, folder).get<Record<string, unknown>>('exclude') ?? {};
  // Brace groups cannot nest in a glob: a key with its own braces would break the combined pattern.
  return Object.entries(settings)
    .filter(([glob, enabled]) => enabled === true && !glob.includes('{'))
    .map(([glob]) => glob);
}

async function readRootGitignore(folder: vscode.WorkspaceFolder): Promise<GitIgnore | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.gitignore'));
    return new GitIgnore(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The folder-relative path of a file inside the folder, with forward slashes. */
export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
  const root = folder.uri.path.replace(/\/+$/, '');
  if (uri.scheme !== folder.uri.scheme || !uri.path.startsWith(`${root}/`)) return undefined;
  return uri.path.slice(root.length + 1);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
