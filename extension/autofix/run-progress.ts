import * as vscode from 'vscode';
import { AUTOFIX_EVENT, AutofixStepData, AutofixTokensData } from '#protocol/autofix.ts';
import { RUN_EVENT, RunProgressData } from '#protocol/events.ts';
import type { RunDoneData, RunEventMessage } from '#protocol/events.ts';
import type { NyxClient } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { RunEventFeed } from '../runs/run-event-feed.ts';
import type { RunsStore } from '../runs/runs-store.ts';

/** How much of the streaming rationale the notification shows (its newest words). */
const RATIONALE_TAIL = 90;

const STEP_LABELS: Record<string, string> = {
  'collecting-context': 'Collecting context',
  generating: 'Generating',
  validating: 'Validating',
};

/**
 * What the notification says while an auto-fix or refactor runs: the step, the tokens used so
 * far and the end of the rationale as the model writes it. Built from the run's events alone,
 * so replaying them after a reload gives the same text.
 */
export class RunProgressText {
  step = '';
  tokens = 0;
  rationale = '';
  fraction = 0;

  /** True when the event changed what the notification says. */
  apply(event: RunEventMessage): boolean {
    if (event.type === AUTOFIX_EVENT.step) {
      const data = AutofixStepData.safeParse(event.data);
      if (data.success) this.step = STEP_LABELS[data.data.step] ?? data.data.message;
      return data.success;
    }
    if (event.type === AUTOFIX_EVENT.tokens) {
      const data = AutofixTokensData.safeParse(event.data);
      if (data.success) this.tokens = data.data.runTokens;
      return data.success;
    }
    if (event.type === AUTOFIX_EVENT.rationale) {
      const text = (event.data as { text?: unknown } | null)?.text;
      if (typeof text === 'string') this.rationale += text;
      return typeof text === 'string';
    }
    if (event.type === RUN_EVENT.progress) {
      const data = RunProgressData.safeParse(event.data);
      if (data.success) this.fraction = Math.max(this.fraction, data.data.fraction);
      return data.success;
    }
    return false;
  }

  get message(): string {
    const parts = [this.step || 'Starting'];
    if (this.tokens > 0) parts.push(`${this.tokens.toLocaleString('en-US')} tokens`);
    const rationale = this.rationale.replace(/\s+/g, ' ').trim();
    if (rationale) parts.push(rationale.length > RATIONALE_TAIL ? `…${rationale.slice(-RATIONALE_TAIL)}` : rationale);
    return parts.join(' · ');
  }
}

export interface FollowedRun {
  /** The run's outcome; undefined when following stopped first (the window is reloading). */
  done: Promise<RunDoneData | undefined>;
  /** Everything the stream said so far (the whole rationale, for tests and the log). */
  text: RunProgressText;
  stop(): void;
}

/**
 * Follows an auto-fix/refactor run on its event stream (the runs' feed: every event once, in
 * order, across reconnects) with a cancellable progress notification. Cancel asks the server to
 * cancel the run; the outcome still arrives as `done`.
 */
export function followWithProgress(client: NyxClient, runId: string, title: string, runs: RunsStore, log: vscode.LogOutputChannel): FollowedRun {
  const feed = new RunEventFeed(client, runId, undefined, log);
  const text = new RunProgressText();
  let progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let shown = 0;
  const report = () => {
    progress?.report({ message: text.message, increment: Math.max(0, text.fraction - shown) * 100 });
    shown = Math.max(shown, text.fraction);
  };
  feed.onEvent((event) => text.apply(event) && report());
  const done = new Promise<RunDoneData | undefined>((resolve) => {
    feed.onDone(resolve);
    void feed.ended.then(() => resolve(undefined));
  });
  void done.then(() => feed.dispose());

  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Nyx: ${title}`, cancellable: true }, async (notification, cancellation) => {
    progress = notification;
    report();
    cancellation.onCancellationRequested(async () => {
      try {
        runs.apply(await client.cancelRun(runId));
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not cancel the run: ${errorMessage(error)}`);
      }
    });
    await done;
  });
  return { done, text, stop: () => feed.dispose() };
}
