// The SSE client for tests. protocol/sse-client.ts treats any error while reading a stream as a
// connection problem and reconnects, so an `assert` thrown inside `onMessage` would never fail
// the test: the stream would quietly reconnect (and replay) until the test timed out or passed.
// Here a throwing handler closes the stream and `ended` rejects with the handler's error, so the
// test that awaits `ended` (or `failure`) fails with the assertion's own message.
import { openEventStream, type EventStream, type EventStreamOptions, type StreamEnd } from '#protocol/sse-client.ts';

export interface TestEventStream extends EventStream {
  /** Rejects with the first error a handler threw; never resolves otherwise. */
  readonly failure: Promise<never>;
}

export function openTestEventStream(options: EventStreamOptions): TestEventStream {
  let thrown: { error: unknown } | undefined;
  let reject!: (error: unknown) => void;
  const failure = new Promise<never>((_, rejectFailure) => (reject = rejectFailure));
  // Awaited by whoever asks; an unobserved rejection must not crash the run on its own.
  failure.catch(() => undefined);
  const stream = openEventStream({
    ...options,
    onMessage(message) {
      if (thrown) return;
      try {
        options.onMessage(message);
      } catch (error) {
        thrown = { error };
        reject(error);
        stream.close();
      }
    },
  });
  const ended: Promise<StreamEnd> = stream.ended.then((end) => {
    if (thrown) throw thrown.error;
    return end;
  });
  ended.catch(() => undefined);
  return {
    get lastEventId() {
      return stream.lastEventId;
    },
    ended,
    failure,
    close: () => stream.close(),
  };
}

/**
 * Opens a tenant or run stream and resolves once the server has subscribed it to the hub: the
 * response headers go out before the subscription, so "opened" is not yet "will hear the next
 * event". Waiting for the hub's count replaces a fixed sleep that a slow machine outlasts.
 */
export async function openSubscribedStream(nyx: { runs: { hub: { subscriberCount(): number } } }, options: EventStreamOptions, timeoutMs = 10_000): Promise<TestEventStream> {
  const before = nyx.runs.hub.subscriberCount();
  const stream = openTestEventStream(options);
  const deadline = Date.now() + timeoutMs;
  while (nyx.runs.hub.subscriberCount() <= before) {
    if (Date.now() > deadline) {
      stream.close();
      throw new Error(`the event stream was not subscribed within ${timeoutMs} ms (${before} subscriber(s) before it)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return stream;
}
