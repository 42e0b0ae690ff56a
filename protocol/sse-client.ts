import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { RUN_EVENT, SSE_RETRY_MS, type RunDoneData, type RunEventMessage } from './events.ts';

/**
 * A resuming server-sent events client on fetch, for Node and the VS Code extension host alike
 * (fetch, AbortController and timers only). It reconnects with the last id it saw, backs off
 * exponentially with jitter, gives up on answers that retrying cannot fix (401, 403, 404), and
 * stops after `done`.
 */

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export type StreamEnd =
  | { reason: 'done'; lastEventId: string | undefined }
  | { reason: 'closed'; lastEventId: string | undefined }
  | { reason: 'rejected'; status: number; body: string; lastEventId: string | undefined };

export interface EventStreamOptions {
  url: string;
  /** Sent on every (re)connect; a function lets a refreshed token take effect. */
  headers?: Record<string, string> | (() => Record<string, string>);
  lastEventId?: string;
  onMessage(message: SseMessage): void;
  onOpen?(): void;
  /** A failed attempt that will be retried after `delayMs`. */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** The event type that ends the stream; null for streams that never end (the tenant feed). */
  doneEvent?: string | null;
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface EventStream {
  /** The id to resume from, updated as messages arrive. */
  readonly lastEventId: string | undefined;
  /** Settles once: done, rejected by the server, or closed by the caller. */
  readonly ended: Promise<StreamEnd>;
  close(): void;
}

const FATAL_STATUSES = new Set([401, 403, 404]);

/** Full-jitter backoff: a random delay up to base * 2^attempt, capped; never below a tenth of the base. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.max(baseMs / 10, Math.random() * ceiling);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function openEventStream(options: EventStreamOptions): EventStream {
  const controller = new AbortController();
  const stopOnCallerAbort = () => controller.abort();
  options.signal?.addEventListener('abort', stopOnCallerAbort, { once: true });
  const doFetch = options.fetch ?? fetch;
  const doneEvent = options.doneEvent === undefined ? RUN_EVENT.done : options.doneEvent;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  let baseDelayMs = options.initialDelayMs ?? SSE_RETRY_MS;
  let lastEventId = options.lastEventId;
  let finished = false;

  /** One connection: resolves 'done' after the final event, 'eof' when the server closed without it. */
  async function connectOnce(): Promise<'done' | 'eof' | { status: number; body: string }> {
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      ...(typeof options.headers === 'function' ? options.headers() : options.headers),
    };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const response = await doFetch(options.url, { headers, signal: controller.signal });
    if (FATAL_STATUSES.has(response.status)) return { status: response.status, body: await response.text().catch(() => '') };
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`event stream answered ${response.status}`);
    }
    options.onOpen?.();
    let sawDone = false;
    const parser = createParser({
      onEvent(message: EventSourceMessage) {
        if (message.id !== undefined) lastEventId = message.id;
        const event = message.event ?? 'message';
        options.onMessage({ id: message.id, event, data: message.data });
        if (doneEvent !== null && event === doneEvent) sawDone = true;
      },
      onRetry(ms: number) {
        baseDelayMs = ms;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      while (!sawDone) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    return sawDone ? 'done' : 'eof';
  }

  const ended = (async (): Promise<StreamEnd> => {
    let attempt = 0;
    try {
      while (!controller.signal.aborted) {
        try {
          const outcome = await connectOnce();
          if (outcome === 'done') return { reason: 'done', lastEventId };
          if (typeof outcome === 'object') return { reason: 'rejected', status: outcome.status, body: outcome.body, lastEventId };
          attempt = 0; // a stream that opened and then ended is a fresh start, not a failure streak
          const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs);
          options.onRetry?.(new Error('event stream closed by the server'), attempt, delayMs);
          await sleep(delayMs, controller.signal);
        } catch (error) {
          if (controller.signal.aborted) break;
          const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs);
          options.onRetry?.(error, attempt, delayMs);
          attempt++;
          await sleep(delayMs, controller.signal);
        }
      }
      return { reason: 'closed', lastEventId };
    } finally {
      finished = true;
      options.signal?.removeEventListener('abort', stopOnCallerAbort);
      controller.abort();
    }
  })();

  return {
    get lastEventId() {
      return lastEventId;
    },
    ended,
    close() {
      if (!finished) controller.abort();
    },
  };
}

export interface WatchRunOptions extends Omit<EventStreamOptions, 'url' | 'onMessage' | 'doneEvent' | 'headers'> {
  baseUrl: string;
  token: string | (() => string);
  runId: string;
  onEvent(event: RunEventMessage): void;
  onDone?(done: RunDoneData): void;
}

/** Watches one run: every event once and in order across reconnects, ending with its outcome. */
export function watchRun(options: WatchRunOptions): EventStream {
  const { baseUrl, token, runId, onEvent, onDone, ...rest } = options;
  let lastSeq = options.lastEventId ? Number(options.lastEventId) : 0;
  return openEventStream({
    ...rest,
    url: new URL(`/api/v1/runs/${encodeURIComponent(runId)}/events`, baseUrl).toString(),
    headers: () => ({ authorization: `Bearer ${typeof token === 'function' ? token() : token}` }),
    onMessage(message) {
      const event = JSON.parse(message.data) as RunEventMessage;
      if (event.seq <= lastSeq) return; // a resumed stream never repeats, but a client must not depend on it
      lastSeq = event.seq;
      onEvent(event);
      if (event.type === RUN_EVENT.done) onDone?.(event.data as RunDoneData);
    },
  });
}
