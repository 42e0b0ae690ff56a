import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathProblem } from '#protocol/analysis.ts';
import { GitIgnore } from '#protocol/gitignore.ts';

const run = promisify(execFile);

/** The server's default NYX_MAX_BLOB_SIZE (1 MiB); larger files are left out in both modes. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** What git and the server call binary: a NUL byte in the first 8 KiB. */
const BINARY_SNIFF_BYTES = 8 * 1024;

export interface TreeFile {
  path: string;
  bytes: Buffer;
  sha256: string;
}

export interface Tree {
  files: TreeFile[];
  /** Left out: binary, too large, or a path the server refuses. */
  skipped: number;
}

/**
 * The files of `root` a snapshot holds, as the editor chooses them: in a git work tree what git
 * would commit (`git ls-files --cached --others --exclude-standard`: every .gitignore); elsewhere
 * a walk that skips `.git/` and applies the root `.gitignore` (protocol/gitignore.ts).
 */
export async function readTree(root: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Promise<Tree> {
  const paths = (await gitFiles(root)) ?? (await walk(root));
  const tree: Tree = { files: [], skipped: 0 };
  for (const path of paths) {
    const file = await readTreeFile(root, path, maxFileBytes);
    if (file) tree.files.push(file);
    else tree.skipped++;
  }
  return tree;
}

async function readTreeFile(root: string, path: string, maxFileBytes: number): Promise<TreeFile | undefined> {
  if (pathProblem(path)) return undefined;
  try {
    const info = await stat(join(root, path));
    if (!info.isFile() || info.size > maxFileBytes) return undefined;
    const bytes = await readFile(join(root, path));
    if (bytes.byteLength > maxFileBytes || bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
    return { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch {
    return undefined; // vanished or unreadable between listing and reading
  }
}

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const inside = await run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root });
    if (inside.stdout.trim() !== 'true') return undefined;
    const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
    return [...new Set(stdout.split('\0').filter(Boolean))].sort();
  } catch {
    return undefined; // not a repository, or no git on PATH
  }
}

async function walk(root: string): Promise<string[]> {
  let ignore: GitIgnore | undefined;
  try {
    ignore = new GitIgnore(await readFile(join(root, '.gitignore'), 'utf8'));
  } catch {
    ignore = undefined;
  }
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name).slice(root.length).replace(/\\/g, '/').replace(/^\/+/, '');
    if (path === '.git' || path.startsWith('.git/')) continue;
    if (ignore?.ignores(path)) continue;
    paths.push(path);
  }
  return paths.sort();
}

/** Files changed since `ref` (committed, staged, unstaged and untracked), repository-relative to `root`. */
export async function changedSince(root: string, ref: string): Promise<Set<string>> {
  const diff = await git(root, ['diff', '--name-only', '-z', '--relative', ref, '--']);
  const untracked = await git(root, ['ls-files', '-z', '--others', '--exclude-standard']);
  return new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean));
}

/** A file's bytes at `ref`, or undefined when it did not exist there. */
export async function fileAt(root: string, ref: string, path: string): Promise<Buffer | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${ref}:./${path}`], { cwd: root, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return undefined;
  }
}

async function git(root: string, args: string[]): Promise<string> {
  try {
    return (await run('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0];
    throw new GitError(`git ${args[0]} failed: ${detail}`);
  }
}

export class GitError extends Error {}
