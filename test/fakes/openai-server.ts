// A loopback server speaking OpenAI's Chat Completions (streaming `data:` chunks ending in
// `[DONE]`, usage chunk when stream_options.include_usage) and Embeddings, with OpenAI's error
// bodies, and the model list (`GET /v1/models`). The same fake stands in for Gemini's and Ollama's OpenAI-compatible endpoints. Usage:
//   const fake = await startFakeOpenAI(); fake.plan({ status: 429, retryAfter: 1 }, { text: 'Hi' });
//   new OpenAI({ baseURL: fake.url, apiKey: 'k' }); ... fake.requests; await fake.close();
import type { ServerResponse } from 'node:http';
import { answerChat, type ChatAnswer, type ChatDialect, type StreamEvents } from './chat-answer.ts';
import { isErrorPlan, roughTokenCount, startFakeProvider, writeErrorHead, type ChatPlan, type ErrorPlan, type FakeProvider, type RecordedRequest } from './fake-provider.ts';

/**
 * Chat plans, plus `{ vectors }` to answer an embeddings request with exact vectors (empty: the
 * usual pseudo-random ones), after `delayMs` when given (a slow provider).
 */
export type OpenAIPlan = ChatPlan | { vectors: number[][]; delayMs?: number };
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

export interface FakeOpenAIOptions {
  /**
   * What `GET /v1/models` lists, as Ollama, vLLM and LM Studio list their models. The array is
   * read at each request, so a test may change it. A queued error plan answers that request instead.
   */
  models?: string[];
}

export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const models = options.models ?? ['gpt-4.1-mini', 'text-embedding-3-small'];
  return startFakeProvider<OpenAIPlan>({
    basePath: '/v1',
    defaultPlan: { text: 'ok' },
    route: (request, res, nextPlan) => {
      if (request.method === 'GET' && request.path.replace(/\?.*$/, '') === '/v1/models') {
        const plan = nextPlan((p) => isErrorPlan(p) || 'hang' in p);
        if ('hang' in plan) return;
        if (isErrorPlan(plan)) return sendError(res, plan);
        return sendJson(res, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' })) });
      }
      const isChat = request.path.startsWith('/v1/chat/completions');
      const isEmbeddings = request.path.startsWith('/v1/embeddings');
      if (request.method !== 'POST' || (!isChat && !isEmbeddings)) {
        return sendError(res, { status: 404, message: `no route ${request.method} ${request.path}` });
      }
      if (isEmbeddings) return answerEmbeddings(request, res, embeddingPlan(nextPlan));
      const plan = nextPlan();
      if ('vectors' in plan) throw new Error('a { vectors } plan was queued but a chat request came');
      return answerChat(request, res, plan, CHAT_COMPLETIONS);
    },
  });
}

const CHAT_COMPLETIONS: ChatDialect = {
  sendError,
  sendMessage(request, res, answer) {
    sendJson(res, {
      ...completionShell(request, 'chat.completion'),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null },
          finish_reason: answer.stopReason || 'stop',
          logprobs: null,
        },
      ],
      usage: usageOf(answer),
    });
  },
  openStream: completionStream,
  promptTokens: (request) => roughTokenCount(JSON.stringify(request.body?.messages ?? [])),
};

function completionStream(request: RecordedRequest, res: ServerResponse, answer: ChatAnswer): StreamEvents {
  const shell = completionShell(request, 'chat.completion.chunk');
  const send = (data: object | string) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const choice = (delta: object, finishReason: string | null) => ({
    ...shell,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  return {
    start: () => send(choice({ role: 'assistant', content: '' }, null)),
    delta: (chunk) => send(choice({ content: chunk }, null)),
    fail: () => send({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } }),
    finish() {
      send(choice({}, answer.stopReason ?? 'stop'));
      if (request.body?.stream_options?.include_usage) send({ ...shell, choices: [], usage: usageOf(answer) });
      send('[DONE]');
    },
  };
}

/** Embeddings take only queued errors, hangs and `{ vectors }`, leaving chat plans in the queue. */
function embeddingPlan(nextPlan: (accept: (plan: OpenAIPlan) => boolean) => OpenAIPlan): OpenAIPlan {
  const plan = nextPlan((p) => !('text' in p || 'json' in p));
  return 'text' in plan || 'json' in plan ? { vectors: [] } : plan;
}

function answerEmbeddings(request: RecordedRequest, res: ServerResponse, plan: OpenAIPlan) {
  if ('hang' in plan) return;
  if (isErrorPlan(plan)) return sendError(res, plan);
  const send = () => sendEmbeddings(request, res, 'vectors' in plan ? plan.vectors : undefined);
  if ('delayMs' in plan && plan.delayMs) setTimeout(() => !res.writableEnded && !res.destroyed && send(), plan.delayMs);
  else send();
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

function usageOf(answer: ChatAnswer) {
  return { prompt_tokens: answer.inputTokens, completion_tokens: answer.outputTokens, total_tokens: answer.inputTokens + answer.outputTokens };
}
