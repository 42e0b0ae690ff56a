// A loopback server speaking OpenAI's Chat Completions (streaming `data:` chunks ending in
// `[DONE]`, usage chunk when stream_options.include_usage) and Embeddings, with OpenAI's error
// bodies. The same fake stands in for Gemini's and Ollama's OpenAI-compatible endpoints. Usage:
//   const fake = await startFakeOpenAI(); fake.plan({ status: 429, retryAfter: 1 }, { text: 'Hi' });
//   new OpenAI({ baseURL: fake.url, apiKey: 'k' }); ... fake.requests; await fake.close();
import type { ServerResponse } from 'node:http';
import {
  delay,
  isErrorPlan,
  planText,
  roughTokenCount,
  splitIntoChunks,
  startFakeProvider,
  writeErrorHead,
  type ChatPlan,
  type ErrorPlan,
  type FakeProvider,
  type RecordedRequest,
  type TextPlan,
} from './fake-provider.ts';

/** Chat plans, plus `{ vectors }` to answer an embeddings request with exact vectors. */
export type OpenAIPlan = ChatPlan | { vectors: number[][] };
export type FakeOpenAI = FakeProvider<OpenAIPlan>;

const ERROR_CODES: Record<number, [type: string, code: string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'model_not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

let completionCounter = 0;

export function startFakeOpenAI(): Promise<FakeOpenAI> {
  return startFakeProvider<OpenAIPlan>({
    basePath: '/v1',
    defaultPlan: { text: 'ok' },
    route: async (request, res, nextPlan) => {
      const isChat = request.path.startsWith('/v1/chat/completions');
      const isEmbeddings = request.path.startsWith('/v1/embeddings');
      if (request.method !== 'POST' || (!isChat && !isEmbeddings)) {
        return sendError(res, { status: 404, message: `no route ${request.method} ${request.path}` });
      }
      const plan = isEmbeddings ? embeddingPlan(nextPlan) : nextPlan();
      if ('hang' in plan) return;
      if (isErrorPlan(plan)) return sendError(res, plan);
      if (isEmbeddings) return sendEmbeddings(request, res, 'vectors' in plan ? plan.vectors : undefined);
      if ('vectors' in plan) throw new Error('a { vectors } plan was queued but a chat request came');
      if (request.body?.stream === true) return streamCompletion(request, res, plan);
      const text = planText(plan);
      sendJson(res, {
        ...completionShell(request, 'chat.completion'),
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            finish_reason: ('stopReason' in plan && plan.stopReason) || 'stop',
            logprobs: null,
          },
        ],
        usage: usageOf(request, plan, text),
      });
    },
  });
}

/** Embeddings take only queued errors, hangs and `{ vectors }`, leaving chat plans in the queue. */
function embeddingPlan(nextPlan: (accept: (plan: OpenAIPlan) => boolean) => OpenAIPlan): OpenAIPlan {
  const plan = nextPlan((p) => !('text' in p || 'json' in p));
  return 'text' in plan || 'json' in plan ? { vectors: [] } : plan;
}

async function streamCompletion(request: RecordedRequest, res: ServerResponse, plan: Exclude<ChatPlan, ErrorPlan | { hang: true }>) {
  const text = planText(plan);
  const options: Partial<TextPlan> = 'text' in plan ? plan : {};
  const chunks = options.chunks ?? splitIntoChunks(text);
  const shell = completionShell(request, 'chat.completion.chunk');
  const send = (data: object | string) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const choice = (delta: object, finishReason: string | null) => ({
    ...shell,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  send(choice({ role: 'assistant', content: '' }, null));
  for (const [index, chunk] of chunks.entries()) {
    if (index === options.stallAfterChunks) return; // keep the connection open, send nothing more
    if (index === options.errorAfterChunks) {
      send({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
      return void res.end();
    }
    if (options.chunkDelayMs) await delay(options.chunkDelayMs);
    send(choice({ content: chunk }, null));
  }
  send(choice({}, options.stopReason ?? 'stop'));
  if (request.body?.stream_options?.include_usage) send({ ...shell, choices: [], usage: usageOf(request, plan, text) });
  send('[DONE]');
  res.end();
}

function sendEmbeddings(request: RecordedRequest, res: ServerResponse, planned: number[][] | undefined) {
  const inputs: string[] = [request.body?.input].flat();
  const dimensions: number = request.body?.dimensions ?? 1536;
  const vectors = planned?.length ? planned : inputs.map((input) => pseudoRandomVector(input, dimensions));
  const base64 = request.body?.encoding_format === 'base64';
  sendJson(res, {
    object: 'list',
    model: request.body?.model,
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector,
    })),
    usage: { prompt_tokens: roughTokenCount(inputs.join(' ')), total_tokens: roughTokenCount(inputs.join(' ')) },
  });
}

/** A unit vector that depends only on the input text, so tests can compare results. */
function pseudoRandomVector(input: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (const char of input) seed = Math.imul(seed ^ char.charCodeAt(0), 16777619);
  const vector = Array.from({ length: dimensions }, () => {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507) ^ Math.imul(seed ^ (seed >>> 13), 3266489909);
    return ((seed >>> 0) / 2 ** 32) * 2 - 1;
  });
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

function sendError(res: ServerResponse, plan: ErrorPlan) {
  writeErrorHead(res, plan);
  const [type, code] = ERROR_CODES[plan.status] ?? ['server_error', null];
  const message = plan.message ?? `fake ${plan.status} error`;
  res.end(JSON.stringify({ error: { message, type: plan.errorType ?? type, param: null, code } }));
}

function sendJson(res: ServerResponse, body: object) {
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_fake_${completionCounter}` });
  res.end(JSON.stringify(body));
}

function completionShell(request: RecordedRequest, object: string) {
  return { id: `chatcmpl-fake-${++completionCounter}`, object, created: Math.floor(Date.now() / 1000), model: request.body?.model };
}

function usageOf(request: RecordedRequest, plan: { inputTokens?: number; outputTokens?: number }, text: string) {
  const prompt = plan.inputTokens ?? roughTokenCount(JSON.stringify(request.body?.messages ?? []));
  const completion = plan.outputTokens ?? roughTokenCount(text);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
