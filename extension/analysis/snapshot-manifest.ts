import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { pathProblem } from '#protocol/analysis.ts';
import type { ManifestEntry } from '#protocol/analysis.ts';
import type { WorkspaceFileList } from './workspace-files.ts';

/** What git and the server call binary: a NUL byte in the first 8 KiB. */
const BINARY_SNIFF_BYTES = 8 * 1024;
/** Files read at once: enough to keep the disk busy, few enough to bound memory. */
const READ_CONCURRENCY = 16;

export interface SkippedFiles {
  binary: string[];
  tooLarge: string[];
  /** Vanished between listing and reading, unreadable, or a path the server refuses. */
  unusable: string[];
}

export interface WorkspaceManifest {
  files: ManifestEntry[];
  /** Where to read each blob again for the upload (only the missing ones are read twice). */
  uriByHash: Map<string, vscode.Uri>;
  skipped: SkippedFiles;
}

/**
 * Hashes the listed files (sha256 of the raw bytes, the blob's name on the server), leaving out
 * binaries and files over `maxFileBytes`. Sizes come from `stat` first, so a huge file is never read.
 */
export async function buildManifest(
  folder: vscode.WorkspaceFolder,
  list: WorkspaceFileList,
  maxFileBytes: number,
  token: vscode.CancellationToken,
  onProgress: (done: number, total: number) => void,
): Promise<WorkspaceManifest> {
  const manifest: WorkspaceManifest = { files: [], uriByHash: new Map(), skipped: { binary: [], tooLarge: [], unusable: [] } };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < list.paths.length && !token.isCancellationRequested) {
      const path = list.paths[next++];
      await addFile(folder, path, maxFileBytes, manifest);
      onProgress(++done, list.paths.length);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));
  manifest.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return manifest;
}

async function addFile(folder: vscode.WorkspaceFolder, path: string, maxFileBytes: number, manifest: WorkspaceManifest): Promise<void> {
  if (pathProblem(path)) {
    manifest.skipped.unusable.push(path);
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, path);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return;
    if (stat.size > maxFileBytes) {
      manifest.skipped.tooLarge.push(path);
      return;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    // Checked again after reading: the file may have grown since stat.
    if (bytes.byteLength > maxFileBytes) manifest.skipped.tooLarge.push(path);
    else if (isBinary(bytes)) manifest.skipped.binary.push(path);
    else {
      const sha256 = sha256Hex(bytes);
      manifest.files.push({ path, sha256, size: bytes.byteLength });
      manifest.uriByHash.set(sha256, uri);
    }
  } catch {
    manifest.skipped.unusable.push(path);
  }
}

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
