import type { ServerResponse } from 'node:http';

export interface SseOptions {
  keepAliveMs: number;
  retryMs: number;
  /** A client further behind than this many buffered bytes is dropped; it resumes with Last-Event-ID. */
  maxBufferedBytes: number;
}

export function formatSseEvent(id: string | number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const KEEP_ALIVE_FRAME = Buffer.from(': keep-alive\n\n');

/**
 * One timer per interval for every open stream, not one per stream: a thousand watchers cost one
 * wake-up every interval. A stream joins when it opens and leaves when it closes.
 */
class KeepAliveTicker {
  private readonly streams = new Set<SseStream>();
  private readonly timer: NodeJS.Timeout;
  private readonly onEmpty: () => void;

  constructor(intervalMs: number, onEmpty: () => void) {
    this.onEmpty = onEmpty;
    this.timer = setInterval(() => {
      for (const stream of this.streams) stream.keepAlive();
    }, intervalMs);
    this.timer.unref();
  }

  add(stream: SseStream): void {
    this.streams.add(stream);
  }

  remove(stream: SseStream): void {
    this.streams.delete(stream);
    if (this.streams.size > 0) return;
    clearInterval(this.timer);
    this.onEmpty();
  }
}

const tickers = new Map<number, KeepAliveTicker>();

/** Streams opened and not yet closed, in this process: the live-subscribers gauge of GET /metrics. */
let openStreams = 0;
export function openSseStreamCount(): number {
  return openStreams;
}

function keepAliveTicker(intervalMs: number): KeepAliveTicker {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    ticker = new KeepAliveTicker(intervalMs, () => tickers.delete(intervalMs));
    tickers.set(intervalMs, ticker);
  }
  return ticker;
}

/**
 * One server-sent event stream on a raw response. Every write is guarded: once the client is
 * gone (close, reset, error) writes become no-ops and the close callbacks run exactly once, so a
 * vanished client can neither crash the server nor leave a subscription behind. A slow client is
 * bounded in memory: past `maxBufferedBytes` of unsent data it is disconnected.
 */
export class SseStream {
  private readonly res: ServerResponse;
  private readonly options: SseOptions;
  private readonly closeCallbacks: (() => void)[] = [];
  private ticker: KeepAliveTicker | null = null;
  private isClosed = false;
  private counted = false;

  constructor(res: ServerResponse, options: SseOptions) {
    this.res = res;
    this.options = options;
    res.on('close', () => this.close());
    res.on('error', () => this.close());
    res.req?.on('error', () => this.close());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  open(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-store: a stream carries tenant data (see docs/security.md "Headers").
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    this.res.socket?.setNoDelay(true);
    this.res.socket?.setTimeout(0);
    openStreams++;
    this.counted = true;
    this.write(`retry: ${this.options.retryMs}\n\n`);
    if (this.isClosed) return;
    this.ticker = keepAliveTicker(this.options.keepAliveMs);
    this.ticker.add(this);
  }

  /** Called by the shared ticker: a comment that keeps proxies and idle timeouts from cutting the stream. */
  keepAlive(): void {
    this.write(KEEP_ALIVE_FRAME);
  }

  /** Sends one event; false when the stream is closed (or was just closed for falling behind). */
  send(id: string | number, event: string, data: unknown): boolean {
    return this.write(formatSseEvent(id, event, data));
  }

  /** Sends an event already formatted by formatSseEvent (one serialisation shared by many streams). */
  sendFormatted(frame: string | Buffer): boolean {
    return this.write(frame);
  }

  /** Resolves when the socket buffer drained (or the stream closed): lets a long replay pace itself. */
  drained(): Promise<void> {
    if (this.isClosed || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  onClose(callback: () => void): void {
    if (this.isClosed) callback();
    else this.closeCallbacks.push(callback);
  }

  /** Ends the response after what was written; idempotent. */
  end(): void {
    if (this.isClosed) return;
    try {
      this.res.end();
    } catch {
      // the socket is already gone; close() below is all that is left to do
    }
    this.close();
  }

  private write(chunk: string | Buffer): boolean {
    if (this.isClosed) return false;
    try {
      this.res.write(chunk);
    } catch {
      this.close();
      return false;
    }
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.res.destroy();
      this.close();
      return false;
    }
    return true;
  }

  private close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.counted) openStreams--;
    this.ticker?.remove(this);
    for (const callback of this.closeCallbacks.splice(0)) {
      try {
        callback();
      } catch {
        // one failing cleanup must not skip the others
      }
    }
  }
}
