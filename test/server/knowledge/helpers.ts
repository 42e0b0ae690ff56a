import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import type { Run } from '#protocol/runs.ts';

const run = promisify(execFile);
// jsqr is CommonJS: under Node's ESM interop its default import is the function itself, which its typings call `.default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

export async function createProject(nyx: TestNyx, who: TestTenant, name: string): Promise<string> {
  const response = await api(nyx.url, 'POST', '/api/v1/projects', { token: who.token, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

/** The shared instance, a team with one project, and a tenant outside it for the isolation checks. */
export async function teamWithProject(label: string, projectName: string): Promise<{ nyx: TestNyx; team: TestTenant; other: TestTenant; projectId: string }> {
  const nyx = await sharedNyx();
  const team = await createTestTenant(nyx, label);
  const other = await createTestTenant(nyx, `${label}-other`);
  const projectId = await createProject(nyx, team, projectName);
  return { nyx, team, other, projectId };
}

/** Calls the API as `who`, asserting the status; returns the body. */
export async function call<T = any>(nyx: TestNyx, who: TestTenant, method: string, path: string, status: number, body?: unknown): Promise<T> {
  const response = await api<T>(nyx.url, method, path, { token: who.token, body });
  assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function runToEnd(nyx: TestNyx, who: TestTenant, runId: string): Promise<Run> {
  const finished = await waitForFinalRun(nyx.url, who, runId, 30_000);
  assert.equal(finished.status, 'succeeded', `run ${runId} ended ${finished.status}: ${finished.error}`);
  return finished;
}

export async function fetchBytes(nyx: TestNyx, who: TestTenant, path: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const response = await fetch(new URL(path, nyx.url), { headers: { authorization: `Bearer ${who.token}` } });
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** pdftotext (poppler-utils): the PDF's text layer. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nyx-pdf-'));
  try {
    await writeFile(join(dir, 'r.pdf'), pdf);
    const { stdout } = await run('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Renders page 1 with pdftoppm (binary PPM) and decodes the first QR code on it with jsQR. */
export async function decodeQrOnFirstPage(pdf: Buffer): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'nyx-qr-'));
  try {
    await writeFile(join(dir, 'r.pdf'), pdf);
    await run('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', join(dir, 'r.pdf'), join(dir, 'page')]);
    const { width, height, rgba } = parsePpm(await readFile(join(dir, 'page.ppm')));
    return jsQR(rgba, width, height)?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Binary PPM (P6, maxval 255): header tokens separated by whitespace, then RGB triples. */
function parsePpm(data: Buffer): { width: number; height: number; rgba: Uint8ClampedArray } {
  const tokens: string[] = [];
  let offset = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(data[offset]!))) offset++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(data[offset]!))) token += String.fromCharCode(data[offset++]!);
    tokens.push(token);
  }
  offset++; // the single whitespace after maxval
  assert.equal(tokens[0], 'P6');
  const [width, height] = [Number(tokens[1]), Number(tokens[2])];
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = data[offset + i * 3]!;
    rgba[i * 4 + 1] = data[offset + i * 3 + 1]!;
    rgba[i * 4 + 2] = data[offset + i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}
