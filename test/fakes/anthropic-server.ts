// A loopback server speaking Anthropic's Messages API (POST /v1/messages), streaming and not,
// with Anthropic's error bodies. Usage:
//   const fake = await startFakeAnthropic(); fake.plan({ text: 'Hi' }, { status: 529 });
//   new Anthropic({ baseURL: fake.url, apiKey: 'k' }); ... fake.requests; await fake.close();
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

export type FakeAnthropic = FakeProvider<ChatPlan>;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

let messageCounter = 0;

export function startFakeAnthropic(): Promise<FakeAnthropic> {
  return startFakeProvider<ChatPlan>({
    basePath: '',
    defaultPlan: { text: 'ok' },
    route: async (request, res, nextPlan) => {
      if (request.method !== 'POST' || !request.path.startsWith('/v1/messages')) {
        return sendError(res, { status: 404, message: `no route ${request.method} ${request.path}` });
      }
      const plan = nextPlan();
      if ('hang' in plan) return;
      if (isErrorPlan(plan)) return sendError(res, plan);
      if (request.body?.stream === true) return streamMessage(request, res, plan);
      const text = planText(plan);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${++messageCounter}` });
      res.end(
        JSON.stringify({
          ...messageShell(request),
          content: [{ type: 'text', text }],
          stop_reason: ('stopReason' in plan && plan.stopReason) || 'end_turn',
          usage: {
            input_tokens: plan.inputTokens ?? promptTokens(request),
            output_tokens: plan.outputTokens ?? roughTokenCount(text),
          },
        }),
      );
    },
  });
}

async function streamMessage(request: RecordedRequest, res: ServerResponse, plan: Exclude<ChatPlan, ErrorPlan | { hang: true }>) {
  const text = planText(plan);
  const options: Partial<TextPlan> = 'text' in plan ? plan : {};
  const chunks = options.chunks ?? splitIntoChunks(text);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const inputTokens = plan.inputTokens ?? promptTokens(request);
  send('message_start', {
    message: {
      ...messageShell(request),
      content: [],
      stop_reason: null,
      usage: { input_tokens: inputTokens, output_tokens: 1 },
    },
  });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  send('ping', {});
  for (const [index, chunk] of chunks.entries()) {
    if (index === options.stallAfterChunks) return; // keep the connection open, send nothing more
    if (index === options.errorAfterChunks) {
      send('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
      return void res.end();
    }
    if (options.chunkDelayMs) await delay(options.chunkDelayMs);
    send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunk } });
  }
  send('content_block_stop', { index: 0 });
  send('message_delta', {
    delta: { stop_reason: options.stopReason ?? 'end_turn', stop_sequence: null },
    usage: { output_tokens: plan.outputTokens ?? roughTokenCount(text) },
  });
  send('message_stop', {});
  res.end();
}

function sendError(res: ServerResponse, plan: ErrorPlan) {
  writeErrorHead(res, plan);
  const type = plan.errorType ?? ERROR_TYPES[plan.status] ?? 'api_error';
  res.end(JSON.stringify({ type: 'error', error: { type, message: plan.message ?? type.replaceAll('_', ' ') } }));
}

function messageShell(request: RecordedRequest) {
  return {
    id: `msg_fake_${++messageCounter}`,
    type: 'message',
    role: 'assistant',
    model: request.body?.model ?? 'unknown',
    stop_sequence: null,
  };
}

function promptTokens(request: RecordedRequest): number {
  return roughTokenCount(JSON.stringify(request.body?.messages ?? []) + (request.body?.system ?? ''));
}
