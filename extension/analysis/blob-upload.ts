import * as vscode from 'vscode';
import type { NyxClient } from '../api/client.ts';
import { sha256Hex } from './snapshot-manifest.ts';

/** The batch route takes at most 1000 blobs; ~8 MiB raw is ~11 MiB of base64, well under the body limit. */
const MAX_BLOBS_PER_BATCH = 1000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

export interface UploadOutcome {
  /** Blobs sent in this call. */
  uploaded: number;
  /** Of those, how many the server did not have yet (its own answer). */
  created: number;
  bytes: number;
}

/**
 * Uploads the blobs the server said it lacks, in batches (`POST /api/v1/blobs`). Each file is read
 * again and checked against its hash: a file edited since it was hashed would otherwise be sent
 * under the wrong name (the server refuses that with a 400; this says which file changed).
 */
export async function uploadMissingBlobs(
  client: NyxClient,
  missing: readonly string[],
  uriByHash: ReadonlyMap<string, vscode.Uri>,
  token: vscode.CancellationToken,
  onProgress: (uploaded: number, total: number) => void,
): Promise<UploadOutcome> {
  const outcome: UploadOutcome = { uploaded: 0, created: 0, bytes: 0 };
  let batch: Array<{ sha256: string; contentBase64: string }> = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    try {
      const answer = await client.uploadBlobs({ blobs: batch }, abort.signal);
      outcome.uploaded += answer.items.length;
      outcome.created += answer.items.filter((item) => item.created).length;
      onProgress(outcome.uploaded, missing.length);
    } finally {
      cancelled.dispose();
    }
    batch = [];
    batchBytes = 0;
  };
  for (const sha256 of missing) {
    if (token.isCancellationRequested) break;
    const uri = uriByHash.get(sha256);
    if (!uri) throw new Error(`The server asked for blob ${sha256}, which is not in this snapshot`);
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (sha256Hex(bytes) !== sha256) throw new Error(`${vscode.workspace.asRelativePath(uri)} changed while it was being analyzed; run the analysis again`);
    if (batch.length >= MAX_BLOBS_PER_BATCH || (batchBytes > 0 && batchBytes + bytes.byteLength > MAX_BATCH_BYTES)) await flush();
    batch.push({ sha256, contentBase64: Buffer.from(bytes).toString('base64') });
    batchBytes += bytes.byteLength;
    outcome.bytes += bytes.byteLength;
  }
  if (!token.isCancellationRequested) await flush();
  return outcome;
}
