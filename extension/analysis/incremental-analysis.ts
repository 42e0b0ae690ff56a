import { createHash } from 'node:crypto';
import type { AnalysisResult, ManifestEntry, Snapshot } from '#protocol/analysis.ts';
import type { RunDoneData } from '#protocol/events.ts';
import { watchRun } from '#protocol/sse-client.ts';
import type { NyxClient } from '../api/client.ts';
import { ServerProblemError } from '../api/errors.ts';

/**
 * Changed content sent inside the snapshot request, at most: well under the server's JSON body
 * limit once base64 grows it by a third. Larger changes upload their blobs first.
 */
const MAX_INLINE_BYTES = 2 * 1024 * 1024;

/** A file as the editor has it now (saved or not), by its folder-relative path. */
export interface ChangedFile {
  path: string;
  content: Uint8Array;
}

export interface IncrementalOutcome {
  snapshot: Snapshot;
  runId: string;
  /** Changed files whose content went to the server (inline in the snapshot request, or as blobs it lacked). */
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
 * 1. the known manifest (path -> sha256, size) takes the changed files' new hashes;
 * 2. when this window's last snapshot is known, one request creates the next snapshot on it
 *    (`baseSnapshotId`, decision 0024) naming only the changed files, their content inline; the
 *    run then analyzes only what differs from the project's last analysis;
 * 3. otherwise (the first time, or the base is gone) `snapshots/check` with the changed entries,
 *    upload of just the blobs the server lacks, and a snapshot of the whole manifest;
 * 4. the analysis run, followed on its event stream to `done`.
 */
export class IncrementalAnalysis {
  private readonly manifest: Map<string, ManifestEntry>;
  private readonly client: Client;
  private readonly projectId: string;
  /** The snapshot the server holds of `manifest` as it was before the pending changes, once known. */
  private baseSnapshotId: string | undefined;

  constructor(client: Client, projectId: string, base: Iterable<ManifestEntry>, baseSnapshotId?: string) {
    this.client = client;
    this.projectId = projectId;
    this.manifest = new Map([...base].map((entry) => [entry.path, entry]));
    this.baseSnapshotId = baseSnapshotId;
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
    for (const file of changed) this.manifest.set(file.entry.path, file.entry);
    const sent = (await this.snapshotOnBase(changed)) ?? (await this.snapshotOfManifest(changed));
    this.baseSnapshotId = sent.snapshot.id;
    const run = await this.client.startAnalysis(this.projectId, { snapshotId: sent.snapshot.id, ...(options.includeGenerated ? { includeGenerated: true } : {}) });
    const done = await waitForDone(this.client, run.id, options.timeoutMs ?? 120_000);
    return { snapshot: sent.snapshot, runId: run.id, uploaded: sent.uploaded, done, result: done.status === 'succeeded' ? (done.result as AnalysisResult) : undefined };
  }

  /**
   * One request: the changed entries with their content, on the last snapshot. undefined when
   * there is no base yet, the content is too much for one request body, or the server no longer
   * has the base (then the whole manifest goes instead).
   */
  private async snapshotOnBase(changed: readonly ChangedContent[]): Promise<{ snapshot: Snapshot; uploaded: number } | undefined> {
    const bytes = changed.reduce((sum, file) => sum + file.content.byteLength, 0);
    if (!this.baseSnapshotId || bytes > MAX_INLINE_BYTES) return undefined;
    try {
      const files = changed.map((file) => ({ ...file.entry, contentBase64: Buffer.from(file.content).toString('base64') }));
      const snapshot = await this.client.createSnapshot(this.projectId, { baseSnapshotId: this.baseSnapshotId, files, source: 'workspace' });
      return { snapshot, uploaded: changed.length };
    } catch (error) {
      // A base another request removed, or one of a project this window no longer has: 404 or 400.
      if (error instanceof ServerProblemError && (error.status === 404 || error.status === 400) && /baseSnapshotId/.test(error.message)) return undefined;
      throw error;
    }
  }

  private async snapshotOfManifest(changed: readonly ChangedContent[]): Promise<{ snapshot: Snapshot; uploaded: number }> {
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
    const snapshot = await this.client.createSnapshot(this.projectId, { files: this.entries(), source: 'workspace' });
    return { snapshot, uploaded: blobs.length };
  }
}

interface ChangedContent {
  entry: ManifestEntry;
  content: Uint8Array;
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
