import type * as vscode from 'vscode';
import type { RunDoneData } from '#protocol/events.ts';
import type { RunCreated } from '#protocol/runs.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';

/**
 * Follows a run with the runs' cancellable progress notification (extension/runs/tracked-runs.ts)
 * and resolves with its outcome. Subscribed before tracking: a deduplicated, finished run replays
 * to `done` at once. Resolves undefined when a window reload replaced the tracked runs.
 */
export function followRun(run: RunCreated, title: string, runs: RunsStore, trackedRuns: () => TrackedRuns): Promise<RunDoneData | undefined> {
  runs.apply(run);
  const tracked = trackedRuns();
  const outcome = new Promise<RunDoneData | undefined>((resolve) => {
    let finished: vscode.Disposable | undefined = undefined;
    let replacedCheck: NodeJS.Timeout | undefined = undefined;
    const settle = (done: RunDoneData | undefined) => {
      finished?.dispose();
      clearInterval(replacedCheck);
      resolve(done);
    };
    finished = tracked.onDidFinish((end) => end.runId === run.id && settle(end.done));
    replacedCheck = setInterval(() => trackedRuns() !== tracked && settle(undefined), 1_000);
  });
  tracked.track(run, title);
  return outcome;
}
