import * as vscode from 'vscode';
import type { RunDoneData, RunEventMessage } from '#protocol/events.ts';
import { watchRun } from '#protocol/sse-client.ts';
import type { EventStream, StreamEnd } from '#protocol/sse-client.ts';
import type { NyxClient } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { Disposable, toDisposable } from '../lifecycle.ts';

/**
 * One run's event stream (`GET /api/v1/runs/:id/events`) as VS Code events: every event once and
 * in order across reconnects (the client resumes with Last-Event-ID and backs off), then `done`.
 */
export class RunEventFeed extends Disposable {
  private readonly received = this.register(new vscode.EventEmitter<RunEventMessage>());
  private readonly finished = this.register(new vscode.EventEmitter<RunDoneData>());
  readonly onEvent = this.received.event;
  readonly onDone = this.finished.event;
  readonly runId: string;
  /** Settles when the stream ends: done, rejected (e.g. the run is gone), or closed by dispose. */
  readonly ended: Promise<StreamEnd>;
  private readonly stream: EventStream;

  constructor(client: NyxClient, runId: string, lastEventId: string | undefined, log: vscode.LogOutputChannel) {
    super();
    this.runId = runId;
    this.stream = watchRun({
      baseUrl: client.serverUrl,
      token: client.token,
      runId,
      lastEventId,
      onEvent: (event) => this.received.fire(event),
      onDone: (done) => this.finished.fire(done),
      onRetry: (error, attempt, delayMs) => log.warn(`Run ${runId} event stream: ${errorMessage(error)}; reconnecting in ${Math.round(delayMs)} ms (attempt ${attempt + 1})`),
    });
    this.ended = this.stream.ended;
    this.register(toDisposable(() => this.stream.close()));
  }

  get lastEventId(): string | undefined {
    return this.stream.lastEventId;
  }
}
