import type * as vscode from 'vscode';
import type { RunEventMessage } from '#protocol/events.ts';
import type { NyxClient } from '../api/client.ts';
import { RunEventFeed } from './run-event-feed.ts';

/** A panel whose state says whether it is still following its run (see PanelView). */
export interface LiveRunView<State extends { live: boolean }> {
  readonly state: State | undefined;
  show(state: State): void;
}

/**
 * Feeds a panel that shows one run live (run dashboard, discussion, workflow run): the run's
 * events after `lastSeq` go to `onEvent` (0 replays the run from its start; a restored panel
 * continues after what it kept), and once the stream ends the panel is marked not live.
 * Disposing the result closes the stream.
 */
export function followRunEvents<State extends { live: boolean }>(
  view: LiveRunView<State>,
  client: NyxClient,
  runId: string,
  lastSeq: number,
  log: vscode.LogOutputChannel,
  onEvent: (event: RunEventMessage) => void,
): vscode.Disposable {
  const feed = new RunEventFeed(client, runId, lastSeq > 0 ? String(lastSeq) : undefined, log);
  feed.onEvent(onEvent);
  void feed.ended.then(() => {
    const state = view.state;
    if (state?.live) view.show({ ...state, live: false });
  });
  return feed;
}
