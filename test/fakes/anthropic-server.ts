// A loopback server speaking Anthropic's Messages API (POST /v1/messages), streaming and not,
// with Anthropic's error bodies. Usage:
//   const fake = await startFakeAnthropic(); fake.plan({ text: 'Hi' }, { status: 529 });
//   new Anthropic({ baseURL: fake.url, apiKey: 'k' }); ... fake.requests; await fake.close();
import type { ServerResponse } from 'node:http';
import { answerChat, type ChatAnswer, type ChatDialect, type StreamEvents } from './chat-answer.ts';
import { roughTokenCount, startFakeProvider, writeErrorHead, type ChatPlan, type ErrorPlan, type FakeProvider, type RecordedRequest } from './fake-provider.ts';

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
    route: (request, res, nextPlan) => {
      if (request.method !== 'POST' || !request.path.startsWith('/v1/messages')) {
        return sendError(res, { status: 404, message: `no route ${request.method} ${request.path}` });
      }
      return answerChat(request, res, nextPlan(), MESSAGES_API);
    },
  });
}

const MESSAGES_API: ChatDialect = {
  sendError,
  sendMessage(request, res, answer) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${++messageCounter}` });
    res.end(
      JSON.stringify({
        ...messageShell(request),
        content: [{ type: 'text', text: answer.text }],
        stop_reason: answer.stopReason || 'end_turn',
        usage: { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens },
      }),
    );
  },
  openStream: messageStream,
  promptTokens: (request) => roughTokenCount(JSON.stringify(request.body?.messages ?? []) + (request.body?.system ?? '')),
};

function messageStream(request: RecordedRequest, res: ServerResponse, answer: ChatAnswer): StreamEvents {
  const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  return {
    start() {
      send('message_start', {
        message: { ...messageShell(request), content: [], stop_reason: null, usage: { input_tokens: answer.inputTokens, output_tokens: 1 } },
      });
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('ping', {});
    },
    delta: (chunk) => send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunk } }),
    fail: () => send('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
    finish() {
      send('content_block_stop', { index: 0 });
      send('message_delta', {
        delta: { stop_reason: answer.stopReason ?? 'end_turn', stop_sequence: null },
        usage: { output_tokens: answer.outputTokens },
      });
      send('message_stop', {});
    },
  };
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
