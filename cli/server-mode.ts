import type { z } from 'zod';
import { BlobBatchResult, FindingList, Snapshot, SnapshotCheckResult, type ManifestEntry } from '#protocol/analysis.ts';
import { RUN_EVENT, type RunDoneData, type RunProgressData } from '#protocol/events.ts';
import { RunCreated } from '#protocol/runs.ts';
import { watchRun } from '#protocol/sse-client.ts';
import type { Progress } from './progress.ts';
import type { ReportFinding } from './report-finding.ts';
import { readTree, type TreeFile } from './tree.ts';

/** The server could not be reached, refused us, or the analysis failed: exit code 2. */
export class ConnectionError extends Error {}

/** The batch route takes at most 1000 blobs; ~8 MiB raw stays well under the body limit as base64. */
const MAX_BLOBS_PER_BATCH = 1000;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
const PAGE = 5000;

export interface ServerTarget {
  server: string;
  token: string;
  project: string;
}

/**
 * What the editor does (docs/analysis.md): learn the server's limits, hash the tree, upload only
 * the blobs it lacks, create the snapshot, start the analysis, follow the run's event stream to
 * its end, then read the project's open findings (those of this snapshot once the run is done).
 */
export async function analyzeOnServer(root: string, target: ServerTarget, progress: Progress): Promise<{ findings: ReportFinding[]; files: TreeFile[] }> {
  const call = client(target);
  const limits = (await call('POST', `/api/v1/projects/${encodeURIComponent(target.project)}/snapshots/check`, SnapshotCheckResult, { files: [] })).limits;
  progress.line('reading files');
  const tree = await readTree(root, limits.maxBlobBytes);
  const manifest: ManifestEntry[] = tree.files.map((file) => ({ path: file.path, sha256: file.sha256, size: file.bytes.byteLength }));
  const check = await call('POST', `/api/v1/projects/${encodeURIComponent(target.project)}/snapshots/check`, SnapshotCheckResult, { files: manifest });
  await uploadMissing(call, tree.files, check.missing, progress);
  const snapshot = await call('POST', `/api/v1/projects/${encodeURIComponent(target.project)}/snapshots`, Snapshot, { files: manifest });
  const run = await call('POST', `/api/v1/projects/${encodeURIComponent(target.project)}/analyses`, RunCreated, { snapshotId: snapshot.id });
  progress.line(`analyzing ${manifest.length} files (run ${run.id})`);
  const done = await follow(target, run.id, progress);
  if (done.status !== 'succeeded') throw new ConnectionError(`the analysis run ${run.id} ${done.status}${done.error ? `: ${done.error}` : ''}`);
  const findings: ReportFinding[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await call('GET', `/api/v1/projects/${encodeURIComponent(target.project)}/findings?status=open&limit=${PAGE}&offset=${offset}`, FindingList);
    findings.push(...page.items.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, path: f.path, range: f.range, fingerprint: f.fingerprint, fix: f.fix, flow: f.flow })));
    if (offset + PAGE >= page.total) break;
  }
  return { findings, files: tree.files };
}

type Call = <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown) => Promise<z.infer<S>>;

function client(target: ServerTarget): Call {
  return async (method, path, schema, body) => {
    const url = new URL(path, target.server);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${target.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ConnectionError(`cannot reach the Nyx server at ${target.server}: ${networkReason(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw new ConnectionError(refusal(response.status, text, target));
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      throw new ConnectionError(`${target.server} answered ${method} ${url.pathname} with something that is not a Nyx response; is --server a Nyx server?`);
    }
  };
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is nyx-server running there?)';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'host not found';
  return cause?.message ?? (error as Error).message;
}

function refusal(status: number, body: string, target: ServerTarget): string {
  let detail = '';
  try {
    const problem = JSON.parse(body) as { detail?: string; title?: string };
    detail = problem.detail ?? problem.title ?? '';
  } catch {
    detail = body.slice(0, 200);
  }
  if (status === 401) return `the server refused the token (401${detail ? `: ${detail}` : ''}); create a new one with \`nyx-server token create\``;
  if (status === 403) return `the token may not do this (403${detail ? `: ${detail}` : ''})`;
  if (status === 404) return `not found on ${target.server} (404${detail ? `: ${detail}` : ''}); check --project and --server`;
  return `the server answered ${status}${detail ? `: ${detail}` : ''}`;
}

async function uploadMissing(call: Call, files: readonly TreeFile[], missing: readonly string[], progress: Progress): Promise<void> {
  const byHash = new Map(files.map((file) => [file.sha256, file]));
  let batch: Array<{ sha256: string; contentBase64: string }> = [];
  let batchBytes = 0;
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await call('POST', '/api/v1/blobs', BlobBatchResult, { blobs: batch });
    sent += batch.length;
    progress.update(sent / missing.length, `uploaded ${sent} of ${missing.length} files`);
    batch = [];
    batchBytes = 0;
  };
  for (const sha256 of missing) {
    const file = byHash.get(sha256);
    if (!file) throw new ConnectionError(`the server asked for blob ${sha256}, which is not in this tree`);
    if (batch.length >= MAX_BLOBS_PER_BATCH || (batchBytes > 0 && batchBytes + file.bytes.byteLength > MAX_BATCH_BYTES)) await flush();
    batch.push({ sha256, contentBase64: file.bytes.toString('base64') });
    batchBytes += file.bytes.byteLength;
  }
  await flush();
  if (missing.length > 0) progress.done();
}

/** Follows the run's event stream (resuming across drops) to its `done` event. */
async function follow(target: ServerTarget, runId: string, progress: Progress): Promise<RunDoneData> {
  let outcome: RunDoneData | undefined;
  const stream = watchRun({
    baseUrl: target.server,
    token: target.token,
    runId,
    maxDelayMs: 5000,
    onEvent(event) {
      if (event.type === RUN_EVENT.progress) {
        const data = event.data as RunProgressData;
        progress.update(data.fraction, data.message ?? '');
      }
    },
    onDone(done) {
      outcome = done;
    },
  });
  const end = await stream.ended;
  progress.done();
  if (end.reason === 'rejected') throw new ConnectionError(refusal(end.status, end.body, target));
  if (!outcome) throw new ConnectionError(`the event stream of run ${runId} ended without an outcome`);
  return outcome;
}
