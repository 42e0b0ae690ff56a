import type * as vscode from 'vscode';
import type { NyxClient } from '../api/client.ts';
import { sha256Hex } from '../analysis/snapshot-manifest.ts';

/** A document as the editor has it right now (unsaved changes included), named like a blob. */
export interface DocumentBlob {
  /** Folder-relative path with `/`, as manifests and patches name files. */
  path: string;
  sha256: string;
  bytes: Buffer;
}

export function documentBlob(document: vscode.TextDocument, path: string): DocumentBlob {
  const bytes = Buffer.from(document.getText(), 'utf8');
  return { path, sha256: sha256Hex(bytes), bytes };
}

/**
 * Whether the document still holds the text a patch was computed for. VS Code hides a UTF-8 BOM
 * from getText(); the server keeps it in the blob it hashed, so both spellings count.
 */
export function documentMatches(document: vscode.TextDocument, blobHash: string): boolean {
  const text = document.getText();
  return sha256Hex(text) === blobHash || sha256Hex(`\uFEFF${text}`) === blobHash;
}

/**
 * Makes sure the server has these blobs: asks which it lacks (the snapshot check answers for a
 * manifest) and uploads only those. Runs read files from blobs, so an unsaved edit is what the
 * run sees.
 */
export async function ensureBlobsUploaded(client: NyxClient, projectId: string, blobs: readonly DocumentBlob[]): Promise<number> {
  const check = await client.checkSnapshot(projectId, { files: blobs.map((blob) => ({ path: blob.path, sha256: blob.sha256, size: blob.bytes.byteLength })) });
  const missing = new Set(check.missing);
  const upload = blobs.filter((blob) => missing.has(blob.sha256));
  if (upload.length > 0) await client.uploadBlobs({ blobs: upload.map((blob) => ({ sha256: blob.sha256, contentBase64: blob.bytes.toString('base64') })) });
  return upload.length;
}
