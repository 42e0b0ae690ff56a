import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { api } from '../helpers/http.ts';
import type { TestTenant } from '../helpers/nyx.ts';
import { type SseMessage, type StreamEnd } from '#protocol/sse-client.ts';
import { openTestEventStream } from '../helpers/event-stream.ts';
import { isFinalRunStatus, type Run, type RunCreated } from '#protocol/runs.ts';

export async function createProject(baseUrl: string, who: TestTenant, name = 'runs-test'): Promise<string> {
  const response = await api(baseUrl, 'POST', '/api/v1/projects', { token: who.token, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.id;
}

/** Starts a selftest run; a nonce keeps it clear of the dedup guard unless the test passes its own. */
export async function startSelftest(baseUrl: string, who: TestTenant, projectId: string, input: Record<string, unknown>): Promise<RunCreated> {
  const response = await api<RunCreated>(baseUrl, 'POST', '/api/v1/runs', {
    token: who.token,
    body: { kind: 'selftest', projectId, input: { nonce: randomUUID(), ...input } },
  });
  assert.ok(response.status === 201 || response.status === 200, JSON.stringify(response.body));
  return response.body;
}

export async function getRun(baseUrl: string, who: TestTenant, runId: string): Promise<Run> {
  const response = await api<Run>(baseUrl, 'GET', `/api/v1/runs/${runId}`, { token: who.token });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export function waitForFinalRun(baseUrl: string, who: TestTenant, runId: string, timeoutMs = 15_000): Promise<Run> {
  return waitFor(`run ${runId} to finish`, async () => {
    const run = await getRun(baseUrl, who, runId);
    return isFinalRunStatus(run.status) ? run : null;
  }, timeoutMs);
}

/** Reads a run's stream to its end with the real client; returns every message as received. */
export async function collectRunStream(baseUrl: string, who: TestTenant, runId: string, lastEventId?: string): Promise<{ messages: SseMessage[]; end: StreamEnd }> {
  const messages: SseMessage[] = [];
  const stream = openTestEventStream({
    url: `${baseUrl}/api/v1/runs/${runId}/events`,
    headers: { authorization: `Bearer ${who.token}` },
    lastEventId,
    initialDelayMs: 50,
    onMessage: (message) => messages.push(message),
  });
  const end = await stream.ended;
  return { messages, end };
}

/** The seq of each message, for order and exactly-once checks. */
export function seqs(messages: SseMessage[]): number[] {
  return messages.map((message) => Number(message.id));
}
