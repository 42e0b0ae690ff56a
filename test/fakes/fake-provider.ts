// Shared plumbing of the loopback model-provider fakes: a queue of planned responses that tests
// script, and a log of every request received. How a chat plan is played is in chat-answer.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer } from './loopback-server.ts';

/** What the fake answers to the next chat request. */
export type ChatPlan =
  | TextPlan
  | { json: unknown; inputTokens?: number; outputTokens?: number }
  | ErrorPlan
  /** Accept the request and never answer (until the fake closes): for timeouts. */
  | { hang: true };

export interface TextPlan {
  text: string;
  /** How the text is cut into stream deltas; default: word by word. */
  chunks?: string[];
  /** Pause between stream chunks. */
  chunkDelayMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  stopReason?: string;
  /** Stop sending (but keep the connection open) after this many text chunks. */
  stallAfterChunks?: number;
  /** Send a provider error event after this many text chunks, then end the stream. */
  errorAfterChunks?: number;
}

export interface ErrorPlan {
  status: number;
  message?: string;
  /** Sent as the Retry-After header (seconds, or an HTTP date). */
  retryAfter?: number | string;
  /** The provider's error type; default derived from the status. */
  errorType?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: any;
}

export interface FakeProvider<Plan> {
  /** Base URL to hand to the SDK as `baseURL`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queue responses, answered in order; when the queue is empty the default is used. */
  plan(...plans: Plan[]): void;
  setDefault(plan: Plan): void;
  /** Plans not yet consumed. */
  readonly pending: number;
  close(): Promise<void>;
}

export type RouteHandler<Plan> = (
  request: RecordedRequest,
  response: ServerResponse,
  /** The next queued plan if `accept` takes it (default: any), else the default plan. */
  nextPlan: (accept?: (plan: Plan) => boolean) => Plan,
) => Promise<void> | void;

export async function startFakeProvider<Plan>(options: {
  basePath: string;
  defaultPlan: Plan;
  route: RouteHandler<Plan>;
}): Promise<FakeProvider<Plan>> {
  const queue: Plan[] = [];
  let defaultPlan = options.defaultPlan;
  const requests: RecordedRequest[] = [];
  const server = await startLoopbackServer(async (req, res) => {
    const recorded = await record(req);
    requests.push(recorded);
    try {
      const nextPlan = (accept: (plan: Plan) => boolean = () => true) =>
        queue.length > 0 && accept(queue[0]!) ? queue.shift()! : defaultPlan;
      await options.route(recorded, res, nextPlan);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake provider failed: ${String(error)}` } }));
    }
  });
  return {
    url: `${server.origin}${options.basePath}`,
    requests,
    plan: (...plans) => void queue.push(...plans),
    setDefault: (plan) => void (defaultPlan = plan),
    get pending() {
      return queue.length;
    },
    close: server.close,
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the raw text: a test may want to see what was malformed
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers, body };
}

export function roughTokenCount(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function writeErrorHead(res: ServerResponse, plan: ErrorPlan): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (plan.retryAfter !== undefined) headers['retry-after'] = String(plan.retryAfter);
  res.writeHead(plan.status, headers);
}

export function isErrorPlan(plan: object): plan is ErrorPlan {
  return 'status' in plan;
}
