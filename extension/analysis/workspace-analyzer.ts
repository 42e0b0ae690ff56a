import * as vscode from 'vscode';
import type { AnalysisResult, Snapshot } from '#protocol/analysis.ts';
import type { RunDoneData } from '#protocol/events.ts';
import type { RunCreated } from '#protocol/runs.ts';
import type { NyxClient } from '../api/client.ts';
import type { SelectedProject } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { readAnalysisConfig } from './analysis-config.ts';
import { uploadMissingBlobs } from './blob-upload.ts';
import type { UploadOutcome } from './blob-upload.ts';
import type { FindingsStore } from './findings-store.ts';
import { followRun } from './follow-run.ts';
import { IncrementalAnalysis } from './incremental-analysis.ts';
import type { ChangedFile, IncrementalOutcome } from './incremental-analysis.ts';
import { buildManifest, isBinary } from './snapshot-manifest.ts';
import type { SkippedFiles } from './snapshot-manifest.ts';
import { listWorkspaceFiles } from './workspace-files.ts';
import type { FileListSource } from './workspace-files.ts';

/** What "Nyx: Analyze Workspace" did (the command's return value; tests read it). */
export interface AnalysisOutcome {
  projectId: string;
  snapshot: Snapshot;
  run: RunCreated;
  listSource: FileListSource;
  /** Files in the snapshot. */
  files: number;
  skipped: SkippedFiles;
  /** Hashes the server said it lacked. */
  missing: number;
  upload: UploadOutcome;
  /** The run's outcome; undefined when this window stopped following it (a reload). */
  done: RunDoneData | undefined;
  result: AnalysisResult | undefined;
}

type Reporter = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Snapshots a workspace folder and analyzes it: list (respecting .gitignore), hash, ask the server
 * which blobs it lacks, upload only those, create the snapshot, start the `analysis` run, follow it
 * with the runs' progress notification, then reload the project's findings.
 */
export class WorkspaceAnalyzer {
  /**
   * Per project: the manifest this window last sent, which live analysis updates file by file.
   * Its hashes are what this window analyzed (fixes are offered only on those exact contents).
   */
  private readonly incremental = new Map<string, IncrementalAnalysis>();
  private readonly findings: FindingsStore;
  private readonly runs: RunsStore;
  private readonly tracked: () => TrackedRuns;
  private readonly log: vscode.LogOutputChannel;

  constructor(findings: FindingsStore, runs: RunsStore, tracked: () => TrackedRuns, log: vscode.LogOutputChannel) {
    this.findings = findings;
    this.runs = runs;
    this.tracked = tracked;
    this.log = log;
  }

  /** The sha256 this window analyzed for a file, if it did. */
  analyzedHash(projectId: string, path: string): string | undefined {
    return this.incremental.get(projectId)?.hashOf(path);
  }

  /**
   * Re-analyzes changed files as the editor has them (live analysis; after an apply, undo or redo),
   * without a notification: only their blobs can be missing, the rest of the snapshot is the one
   * this window knows. The first time in a window the folder is listed and hashed once, quietly.
   * Files that are not part of the folder's snapshots (ignored, binary, too large) are left out.
   */
  async analyzeChanged(client: NyxClient, folder: vscode.WorkspaceFolder, project: SelectedProject, changes: readonly ChangedFile[]): Promise<IncrementalOutcome | undefined> {
    const config = readAnalysisConfig(folder);
    let incremental = this.incremental.get(project.id);
    if (!incremental || changes.some((change) => !incremental!.has(change.path))) {
      const list = await listWorkspaceFiles(folder);
      const { limits } = await client.checkSnapshot(project.id, { files: [] });
      const never = new vscode.CancellationTokenSource();
      const manifest = await buildManifest(folder, list, Math.min(config.maxFileBytes, limits.maxBlobBytes), never.token, () => undefined);
      never.dispose();
      // Blobs of files this window never uploaded may be missing: those go up once now.
      const check = await client.checkSnapshot(project.id, { files: manifest.files });
      if (check.missing.length) await uploadMissingBlobs(client, check.missing, manifest.uriByHash, new vscode.CancellationTokenSource().token, () => undefined);
      incremental = new IncrementalAnalysis(client, project.id, manifest.files);
      this.incremental.set(project.id, incremental);
    }
    const known = changes.filter((change) => incremental!.has(change.path) && change.content.byteLength <= config.maxFileBytes && !isBinary(change.content));
    if (known.length === 0) return undefined;
    const outcome = await incremental.analyze(known, { includeGenerated: config.includeMinified });
    this.log.info(`Live analysis of ${known.map((change) => change.path).join(', ')}: run ${outcome.runId} ${outcome.done.status}, ${outcome.uploaded} uploaded, ${outcome.result?.findings ?? '?'} findings`);
    if (outcome.done.status === 'succeeded') await this.findings.reload(project.id);
    return outcome;
  }

  async analyze(client: NyxClient, folder: vscode.WorkspaceFolder, project: SelectedProject): Promise<AnalysisOutcome | undefined> {
    const started = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Nyx: preparing the analysis of ${folder.name}`, cancellable: true },
      (progress, token) => this.snapshotAndStart(client, folder, project, progress, token),
    );
    if (!started) return undefined;
    const done = await followRun(started.run, `analysis of ${project.name}`, this.runs, this.tracked);
    if (done?.status === 'succeeded') await this.findings.reload(project.id);
    return { ...started, done, result: done?.status === 'succeeded' ? (done.result as AnalysisResult) : undefined };
  }

  private async snapshotAndStart(client: NyxClient, folder: vscode.WorkspaceFolder, project: SelectedProject, progress: Reporter, token: vscode.CancellationToken) {
    const config = readAnalysisConfig(folder);
    progress.report({ message: 'listing files' });
    const list = await listWorkspaceFiles(folder, token);
    // An empty manifest costs nothing and tells the server's limits before any file is read.
    const { limits } = await client.checkSnapshot(project.id, { files: [] });
    const maxFileBytes = Math.min(config.maxFileBytes, limits.maxBlobBytes);

    let reported = 0;
    const report = (fraction: number, message: string) => {
      progress.report({ message, increment: Math.max(0, fraction - reported) * 100 });
      reported = Math.max(reported, fraction);
    };
    const manifest = await buildManifest(folder, list, maxFileBytes, token, (done, total) => {
      if (done % 50 === 0 || done === total) report((0.6 * done) / total, `hashing ${done} of ${total} files`);
    });
    if (token.isCancellationRequested) return undefined;
    if (manifest.files.length > limits.maxFiles) {
      throw new Error(`${folder.name} has ${manifest.files.length} files to analyze; the server takes at most ${limits.maxFiles} per snapshot. Exclude some with .gitignore or "files.exclude".`);
    }

    const check = await client.checkSnapshot(project.id, { files: manifest.files });
    report(0.65, `uploading ${check.missing.length} new file${check.missing.length === 1 ? '' : 's'}`);
    const upload = await uploadMissingBlobs(client, check.missing, manifest.uriByHash, token, (done, total) => report(0.65 + (0.3 * done) / total, `uploaded ${done} of ${total} files`));
    if (token.isCancellationRequested) return undefined;

    const snapshot = await client.createSnapshot(project.id, { files: manifest.files, source: 'workspace' });
    // Saves after this analysis send only what changed, on this snapshot.
    this.incremental.set(project.id, new IncrementalAnalysis(client, project.id, manifest.files, snapshot.id));
    const run = await client.startAnalysis(project.id, { snapshotId: snapshot.id, ...(config.aiReview ? { ai: {} } : {}), ...(config.includeMinified ? { includeGenerated: true } : {}) });
    report(1, 'analysis started');
    const skipped = manifest.skipped;
    this.log.info(
      `Snapshot ${snapshot.id} of ${folder.name} (${list.source}): ${manifest.files.length} files, ${check.missing.length} missing, ${upload.uploaded} uploaded (${upload.created} new); ` +
        `skipped ${skipped.binary.length} binary, ${skipped.tooLarge.length} over ${maxFileBytes} bytes, ${skipped.unusable.length} unusable; analysis run ${run.id}${run.deduplicated ? ' (deduplicated)' : ''}`,
    );
    return { projectId: project.id, snapshot, run, listSource: list.source, files: manifest.files.length, skipped, missing: check.missing.length, upload };
  }
}
