import type { RouteRequest } from '#server/modules/ai/engine/router.ts';
import type { ModelGateway } from '#server/modules/ai/gateway.ts';

/** Deltas are gathered for about this long (or this many characters) before they become one run event. */
export const DELTA_BATCH_MS = 50;
export const DELTA_BATCH_CHARS = 2_000;

export interface StreamedText {
  text: string;
  provider: string;
  model: string;
}

/**
 * Streams a model answer into run events. A token-per-event stream would cost a database commit
 * and an SSE frame per token; batching by time (and size) keeps the stream live at a fraction of
 * that. Each batch is awaited before more is read, so events stay in order and a slow database
 * slows the provider stream instead of piling up memory. No transaction is open meanwhile.
 */
export async function streamIntoEvents(
  gateway: ModelGateway,
  request: RouteRequest,
  emitDelta: (text: string) => Promise<unknown>,
): Promise<StreamedText> {
  let text = '';
  let pending = '';
  let lastFlush = Date.now();
  let answered: { provider: string; model: string } | null = null;
  const flush = async () => {
    if (!pending) return;
    const batch = pending;
    pending = '';
    lastFlush = Date.now();
    await emitDelta(batch);
  };
  for await (const event of gateway.router.stream(request)) {
    if (event.type === 'done') {
      answered = { provider: event.provider, model: event.model };
      continue;
    }
    text += event.text;
    pending += event.text;
    if (Date.now() - lastFlush >= DELTA_BATCH_MS || pending.length >= DELTA_BATCH_CHARS) await flush();
  }
  await flush();
  if (!answered) throw new Error('the model stream ended without a final event');
  return { text, ...answered };
}
