import type { RunDoneData, RunEventMessage } from '#protocol/events.ts';
import { RUN_EVENT } from '#protocol/events.ts';
import { isFinalRunStatus, type Run } from '#protocol/runs.ts';
import type { EventHub } from './event-hub.ts';
import { FEED_PAGE, type FeedSource } from './feeds.ts';
import { formatSseEvent, type SseStream } from './sse.ts';

/** Live events that arrive while a stream still replays wait here; a replay this far behind drops the client. */
const MAX_BUFFERED_LIVE_EVENTS = 10_000;

/**
 * A feed hands the same event object to every watcher: serialise and encode it once for all of
 * them, so each of a thousand streams costs one socket write of a shared buffer.
 */
const frames = new WeakMap<RunEventMessage, Buffer>();
function frameOf(event: RunEventMessage): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = Buffer.from(formatSseEvent(event.seq, event.type, event));
    frames.set(event, frame);
  }
  return frame;
}

/**
 * Serves one run's events on an open SSE stream: subscribes first (buffering live events), replays
 * everything after `afterSeq` from the database, then goes live; `done` ends the stream. Every
 * event is sent at most once per stream and in seq order, and the subscription ends with the stream.
 */
export async function serveRunStream(sse: SseStream, hub: EventHub, source: FeedSource, run: Run, tenantId: string, afterSeq: number): Promise<void> {
  let lastSent = afterSeq;
  let live = false;
  const waiting: RunEventMessage[] = [];

  const send = (event: RunEventMessage) => {
    if (event.seq <= lastSent || sse.closed) return;
    lastSent = event.seq;
    sse.sendFormatted(frameOf(event));
    if (event.type === RUN_EVENT.done) sse.end();
  };

  if (!isFinalRunStatus(run.status)) {
    const unwatch = hub.watchRun({ id: run.id, tenantId }, run.lastSeq, {
      deliver(event) {
        if (live) return send(event);
        waiting.push(event);
        if (waiting.length > MAX_BUFFERED_LIVE_EVENTS) sse.end();
      },
    });
    sse.onClose(unwatch);
  }

  while (!sse.closed) {
    const page = await source.runEventsAfter(tenantId, run.id, lastSent, FEED_PAGE);
    for (const event of page) {
      send(event);
      // The replay goes at the client's pace, one event past what the socket took: a page of large
      // events written at once would trip the slow-client limit (meant for live events, which
      // cannot wait) on a client that reads fine, and cut every reconnect at the same place.
      await sse.drained();
    }
    if (page.length < FEED_PAGE) break;
  }
  if (sse.closed) return;

  if (isFinalRunStatus(run.status)) {
    // The client had already seen the whole log (its cursor is at or past `done`): tell it again how it ended.
    const done: RunDoneData = { status: run.status as RunDoneData['status'], result: run.result ?? null, error: run.error };
    sse.send(run.lastSeq, RUN_EVENT.done, { runId: run.id, seq: run.lastSeq, type: RUN_EVENT.done, data: done, createdAt: run.finishedAt ?? run.updatedAt });
    sse.end();
    return;
  }
  live = true;
  waiting.sort((a, b) => a.seq - b.seq);
  for (const event of waiting.splice(0)) send(event);
}
