// How the model-provider fakes play a chat plan: silence for a hang, an error body, one whole
// message, or a stream whose text arrives in the planned chunks with the planned pauses, stall or
// failure. What is played lives here once; each fake supplies only its wire format (a ChatDialect).
import type { ServerResponse } from 'node:http';
import { isErrorPlan, roughTokenCount, type ChatPlan, type ErrorPlan, type RecordedRequest, type TextPlan } from './fake-provider.ts';

/** A text or json plan as the answer states it, token counts filled in. */
export interface ChatAnswer {
  text: string;
  /** As planned; each dialect has its own default ("end_turn", "stop"). */
  stopReason: string | undefined;
  inputTokens: number;
  outputTokens: number;
}

/** One provider's wire format for a chat answer. */
export interface ChatDialect {
  sendError(res: ServerResponse, plan: ErrorPlan): void;
  /** The whole answer in one body (the request did not ask for a stream). */
  sendMessage(request: RecordedRequest, res: ServerResponse, answer: ChatAnswer): void;
  /** The events of one streamed answer; the event-stream head is already written. */
  openStream(request: RecordedRequest, res: ServerResponse, answer: ChatAnswer): StreamEvents;
  /** The prompt's token count when the plan names none (providers count different parts). */
  promptTokens(request: RecordedRequest): number;
}

export interface StreamEvents {
  /** What precedes the first text delta. */
  start(): void;
  delta(chunk: string): void;
  /** The provider's in-stream error event; the stream ends after it. */
  fail(): void;
  /** What follows the last delta; the stream ends after it. */
  finish(): void;
}

export async function answerChat(request: RecordedRequest, res: ServerResponse, plan: ChatPlan, dialect: ChatDialect): Promise<void> {
  if ('hang' in plan) return; // accept the request and never answer
  if (isErrorPlan(plan)) return dialect.sendError(res, plan);
  const text = 'text' in plan ? plan.text : JSON.stringify(plan.json);
  const answer: ChatAnswer = {
    text,
    stopReason: 'stopReason' in plan ? plan.stopReason : undefined,
    inputTokens: plan.inputTokens ?? dialect.promptTokens(request),
    outputTokens: plan.outputTokens ?? roughTokenCount(text),
  };
  if (request.body?.stream !== true) return dialect.sendMessage(request, res, answer);

  const timing: Partial<TextPlan> = 'text' in plan ? plan : {};
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events = dialect.openStream(request, res, answer);
  events.start();
  for (const [index, chunk] of (timing.chunks ?? splitIntoChunks(text)).entries()) {
    if (index === timing.stallAfterChunks) return; // keep the connection open, send nothing more
    if (index === timing.errorAfterChunks) {
      events.fail();
      return void res.end();
    }
    if (timing.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, timing.chunkDelayMs));
    events.delta(chunk);
  }
  events.finish();
  res.end();
}

/** Word-by-word deltas that join back to `text` exactly. */
function splitIntoChunks(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}
