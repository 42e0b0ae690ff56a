import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { api } from '../helpers/http.ts';
import type { TestTenant } from '../helpers/nyx.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import type { AnalysisResult, StoredFinding } from '#protocol/analysis.ts';
import type { Run, RunCreated } from '#protocol/runs.ts';

export interface WorkspaceFile {
  path: string;
  content: string | Uint8Array;
}

export const sha256 = (content: string | Uint8Array) => createHash('sha256').update(content).digest('hex');
const bytesOf = (content: string | Uint8Array) => (typeof content === 'string' ? Buffer.from(content) : Buffer.from(content));

export function manifestOf(files: readonly WorkspaceFile[]) {
  return files.map((file) => ({ path: file.path, sha256: sha256(file.content), size: bytesOf(file.content).length }));
}

/** What the editor does: check, upload only the missing blobs (raw PUT), create the snapshot. */
export async function uploadWorkspace(baseUrl: string, who: TestTenant, projectId: string, files: readonly WorkspaceFile[]): Promise<{ snapshotId: string; uploaded: string[] }> {
  const manifest = manifestOf(files);
  const check = await api(baseUrl, 'POST', `/api/v1/projects/${projectId}/snapshots/check`, { token: who.token, body: { files: manifest } });
  assert.equal(check.status, 200, JSON.stringify(check.body));
  const uploaded: string[] = [];
  for (const hash of check.body.missing as string[]) {
    const file = files.find((f) => sha256(f.content) === hash)!;
    const put = await fetch(`${baseUrl}/api/v1/blobs/${hash}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/octet-stream' },
      body: bytesOf(file.content),
    });
    assert.equal(put.status, 201, await put.text());
    uploaded.push(file.path);
  }
  const created = await api(baseUrl, 'POST', `/api/v1/projects/${projectId}/snapshots`, { token: who.token, body: { files: manifest } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { snapshotId: created.body.id, uploaded };
}

export async function analyze(baseUrl: string, who: TestTenant, projectId: string, body: Record<string, unknown>): Promise<{ run: Run; result: AnalysisResult; started: RunCreated }> {
  const start = await api<RunCreated>(baseUrl, 'POST', `/api/v1/projects/${projectId}/analyses`, { token: who.token, body });
  assert.ok(start.status === 201 || start.status === 200, JSON.stringify(start.body));
  const run = await waitForFinalRun(baseUrl, who, start.body.id, 60_000);
  assert.equal(run.status, 'succeeded', run.error ?? '');
  return { run, result: run.result as AnalysisResult, started: start.body };
}

export async function findings(baseUrl: string, who: TestTenant, projectId: string, query = ''): Promise<StoredFinding[]> {
  const response = await api(baseUrl, 'GET', `/api/v1/projects/${projectId}/findings${query}`, { token: who.token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.items;
}
