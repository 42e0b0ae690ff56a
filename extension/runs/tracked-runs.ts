import * as vscode from 'vscode';
import { RUN_EVENT, RunProgressData } from '#protocol/events.ts';
import type { RunDoneData, RunEventMessage } from '#protocol/events.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { Run } from '#protocol/runs.ts';
import { errorMessage, ServerProblemError } from '../api/errors.ts';
import { CONFIGURE_PROVIDER, needsProvider, withoutRestHints } from '../api/user-facing.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { RunEventFeed } from './run-event-feed.ts';
import type { RunsStore } from './runs-store.ts';

/** workspaceState key: runs this window follows with a notification, and how far it got in each. */
export const TRACKED_RUNS_KEY = 'nyx.trackedRuns';

interface TrackedEntry {
  title: string;
  /** SSE id of the last event handled: a reloaded window resumes right after it. */
  lastEventId?: string;
}
type TrackedEntries = Record<string, TrackedEntry>;

export interface RunEventReceived {
  runId: string;
  event: RunEventMessage;
}

export interface RunProgressReported {
  runId: string;
  /** 0 to 1. */
  fraction: number;
  message: string | undefined;
}

/**
 * Runs started from this window: each gets a cancellable progress notification driven by its
 * event stream. How far each got is kept in workspaceState on every event, so after a window
 * reload `resume()` picks the still-active ones up again from Last-Event-ID: no event is lost or
 * handled twice.
 */
export class TrackedRuns extends Disposable {
  private readonly receivedEvent = this.register(new vscode.EventEmitter<RunEventReceived>());
  private readonly reportedProgress = this.register(new vscode.EventEmitter<RunProgressReported>());
  private readonly finishedRun = this.register(new vscode.EventEmitter<{ runId: string; done: RunDoneData }>());
  readonly onDidReceiveEvent = this.receivedEvent.event;
  readonly onDidReportProgress = this.reportedProgress.event;
  readonly onDidFinish = this.finishedRun.event;
  private readonly feeds = new Map<string, RunEventFeed>();
  private readonly connection: Connection;
  private readonly store: RunsStore;
  private readonly workspaceState: vscode.Memento;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, store: RunsStore, workspaceState: vscode.Memento, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.store = store;
    this.workspaceState = workspaceState;
    this.log = log;
  }

  /** Ids of the runs followed right now. */
  get runIds(): string[] {
    return [...this.feeds.keys()];
  }

  /** Follows a run just started from this window. */
  track(run: Run, title: string): void {
    if (this.feeds.has(run.id) || this.isDisposed) return;
    this.saveEntry(run.id, { title });
    this.follow(run.id, title, undefined);
  }

  /** After a reload: follows again every saved run that is still active, from where it stopped. */
  async resume(): Promise<void> {
    const client = this.connection.requireClient();
    for (const [runId, entry] of Object.entries(this.entries())) {
      if (this.feeds.has(runId)) continue;
      try {
        const run = await client.getRun(runId);
        if (this.isDisposed) return;
        this.store.apply(run);
        if (isFinalRunStatus(run.status) && Number(entry.lastEventId ?? 0) >= run.lastSeq) {
          this.saveEntry(runId, undefined);
          continue;
        }
        this.log.info(`Resuming run ${runId} after event ${entry.lastEventId ?? 'none'}`);
        this.follow(runId, entry.title, entry.lastEventId);
      } catch (error) {
        // A run deleted or no longer visible will never finish: stop remembering it.
        if (ServerProblemError.is(error) && error.status === 404) this.saveEntry(runId, undefined);
        else this.log.warn(`Could not resume run ${runId}: ${errorMessage(error)}`);
      }
    }
  }

  private follow(runId: string, title: string, lastEventId: string | undefined): void {
    const client = this.connection.requireClient();
    const feed = new RunEventFeed(client, runId, lastEventId, this.log);
    this.feeds.set(runId, feed);
    let reported = 0;
    const finished = new Promise<RunDoneData | undefined>((resolve) => {
      feed.onDone(resolve);
      void feed.ended.then(() => resolve(undefined));
    });

    let notification: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    feed.onEvent((event) => {
      // Saved before anyone sees the event: a reload right after resumes past it, never before.
      this.saveEntry(runId, { title, lastEventId: String(event.seq) });
      this.receivedEvent.fire({ runId, event });
      if (event.type !== RUN_EVENT.progress) return;
      const data = RunProgressData.safeParse(event.data);
      if (!data.success) return;
      const message = data.data.message ?? undefined;
      notification?.report({ increment: Math.max(0, data.data.fraction - reported) * 100, message });
      reported = Math.max(reported, data.data.fraction);
      this.reportedProgress.fire({ runId, fraction: data.data.fraction, message });
    });

    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Nyx: ${title}`, cancellable: true },
      async (progress, cancellation) => {
        notification = progress;
        if (reported > 0) progress.report({ increment: reported * 100 });
        cancellation.onCancellationRequested(() => void this.cancel(runId));
        const done = await finished;
        if (done) this.announce(runId, title, done);
      },
    );

    void finished.then((done) => {
      feed.dispose();
      if (this.feeds.get(runId) === feed) this.feeds.delete(runId);
      if (!done) return; // closed by dispose (a reload): the entry stays for resume()
      this.saveEntry(runId, undefined);
      this.finishedRun.fire({ runId, done });
    });
  }

  private async cancel(runId: string): Promise<void> {
    try {
      this.store.apply(await this.connection.requireClient().cancelRun(runId));
      this.log.info(`Asked the server to cancel run ${runId}`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not cancel the run: ${errorMessage(error)}`);
    }
  }

  private announce(runId: string, title: string, done: RunDoneData): void {
    const open = 'Open Run';
    const configure = CONFIGURE_PROVIDER.title;
    const onPick = (picked: string | undefined) => {
      if (picked === open) void vscode.commands.executeCommand('nyx.openRun', runId);
      if (picked === configure) void vscode.commands.executeCommand(CONFIGURE_PROVIDER.command);
    };
    if (done.status === 'succeeded') void vscode.window.showInformationMessage(`Nyx: ${title} succeeded.`, open).then(onPick);
    else if (done.status === 'cancelled') void vscode.window.showWarningMessage(`Nyx: ${title} was cancelled.`, open).then(onPick);
    else {
      const reason = done.error ?? 'no reason given';
      const buttons = needsProvider(reason) ? [configure, open] : [open];
      void vscode.window.showErrorMessage(`Nyx: ${title} failed: ${withoutRestHints(reason)}`, ...buttons).then(onPick);
    }
  }

  private entries(): TrackedEntries {
    return this.workspaceState.get<TrackedEntries>(TRACKED_RUNS_KEY) ?? {};
  }

  /** Memento.update changes the in-memory value at once; persisting to disk may finish later. */
  private saveEntry(runId: string, entry: TrackedEntry | undefined): void {
    const entries = { ...this.entries() };
    if (entry) entries[runId] = entry;
    else delete entries[runId];
    void this.workspaceState.update(TRACKED_RUNS_KEY, entries);
  }

  override dispose(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.feeds.clear();
    super.dispose();
  }
}
