import { createHash } from 'node:crypto';
import type { AnalysisResult, ManifestEntry, Snapshot } from '#protocol/analysis.ts';
import type { RunDoneData } from '#protocol/events.ts';
import { watchRun } from '#protocol/sse-client.ts';
import type { NyxClient } from '../api/client.ts';

/** A file as the editor has it now (saved or not), by its folder-relative path. */
export interface ChangedFile {
  path: string;
  content: Uint8Array;
}

export interface IncrementalOutcome {
  snapshot: Snapshot;
  runId: string;
  /** Changed files whose blob the server lacked (and got). */
  uploaded: number;
  done: RunDoneData;
  result: AnalysisResult | undefined;
}

type Client = Pick<NyxClient, 'checkSnapshot' | 'uploadBlobs' | 'createSnapshot' | 'startAnalysis' | 'serverUrl' | 'token'>;

/**
 * Re-analysis of a few changed files against the snapshot this window knows (live analysis, after
 * an apply, undo or redo). No VS Code here, so the benchmark (bench/live-analysis.bench.ts) times
 * exactly what the extension does:
 *
 * 1. the known manifest (path -> sha256, size) with the changed files' new hashes;
 * 2. `snapshots/check` with only the changed entries; upload just the blobs the server lacks;
 * 3. create the snapshot of the whole manifest (the server's analysis cache makes unchanged files
 *    free) and start the analysis run;
 * 4. follow the run's event stream to `done`.
 */
export class IncrementalAnalysis {
  private readonly manifest: Map<string, ManifestEntry>;
  private readonly client: Client;
  private readonly projectId: string;

  constructor(client: Client, projectId: string, base: Iterable<ManifestEntry>) {
    this.client = client;
    this.projectId = projectId;
    this.manifest = new Map([...base].map((entry) => [entry.path, entry]));
  }

  /** The manifest as last sent (sorted by path), for the next window-wide analysis to compare. */
  entries(): ManifestEntry[] {
    return [...this.manifest.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The sha256 the server analyzed for a path (or will, once the run started by `analyze` ends). */
  hashOf(path: string): string | undefined {
    return this.manifest.get(path)?.sha256;
  }

  has(path: string): boolean {
    return this.manifest.has(path);
  }

  async analyze(changes: readonly ChangedFile[], options: { includeGenerated?: boolean; timeoutMs?: number } = {}): Promise<IncrementalOutcome> {
    const changed = changes.map((file) => ({ entry: { path: file.path, sha256: sha256Hex(file.content), size: file.content.byteLength }, content: file.content }));
    const check = await this.client.checkSnapshot(this.projectId, { files: changed.map((file) => file.entry) });
    const missing = new Set(check.missing);
    const blobs = changed.filter((file) => missing.has(file.entry.sha256));
    // The batch route's limits, as in blob-upload.ts: at most 1000 blobs and about 8 MiB per request.
    for (let start = 0; start < blobs.length; ) {
      let end = start;
      let bytes = 0;
      while (end < blobs.length && end - start < 1000 && (end === start || bytes + blobs[end]!.content.byteLength <= 8 * 1024 * 1024)) bytes += blobs[end++]!.content.byteLength;
      await this.client.uploadBlobs({ blobs: blobs.slice(start, end).map((file) => ({ sha256: file.entry.sha256, contentBase64: Buffer.from(file.content).toString('base64') })) });
      start = end;
    }
    for (const file of changed) this.manifest.set(file.entry.path, file.entry);
    const snapshot = await this.client.createSnapshot(this.projectId, { files: this.entries(), source: 'workspace' });
    const run = await this.client.startAnalysis(this.projectId, { snapshotId: snapshot.id, ...(options.includeGenerated ? { includeGenerated: true } : {}) });
    const done = await waitForDone(this.client, run.id, options.timeoutMs ?? 120_000);
    return { snapshot, runId: run.id, uploaded: blobs.length, done, result: done.status === 'succeeded' ? (done.result as AnalysisResult) : undefined };
  }
}

/** Follows a run's event stream (resuming across drops) until its `done` event. */
export function waitForDone(client: Pick<NyxClient, 'serverUrl' | 'token'>, runId: string, timeoutMs: number): Promise<RunDoneData> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.close();
      reject(new Error(`run ${runId} did not finish within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    const stream = watchRun({
      baseUrl: client.serverUrl,
      token: client.token,
      runId,
      onEvent: () => undefined,
      onDone: (done) => {
        clearTimeout(timer);
        stream.close();
        resolve(done);
      },
    });
    void stream.ended.then((end) => {
      clearTimeout(timer);
      // `closed` follows our own close() after done (the promise is settled by then).
      if (end.reason === 'rejected') reject(new Error(`the event stream of run ${runId} was refused (${end.status}): ${end.body}`));
    });
  });
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
