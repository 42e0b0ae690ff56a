import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { RUN_EVENT, RunProgressData, RunStatusData, type RunEventMessage } from '#protocol/events.ts';
import { ANALYSIS_EVENT } from '#protocol/analysis.ts';
import { DISCUSSION_EVENT } from '#protocol/discussions.ts';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Progress is reported in percent of the run. */
const TOTAL = 100;

/**
 * Turns a run's events into MCP progress notifications for the tool call that waits on it, when
 * the client asked for them (a `progressToken` in the call's _meta). The protocol requires the
 * progress value to increase with every notification, so an event that only says what happens
 * (a turn finished, files analysed) advances it by a hundredth of a percent; the run's own
 * `progress` events set it. Notifications are best effort: a failed send must not fail the tool.
 */
export function progressReporter(extra: ToolExtra): ((event: RunEventMessage) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let sent = -1;
  const send = (percent: number, message: string) => {
    const progress = Math.min(TOTAL, Math.max(percent, sent + 0.01));
    if (progress <= sent) return;
    sent = progress;
    void extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: Number(progress.toFixed(2)), total: TOTAL, message } })
      .catch(() => undefined);
  };
  return (event) => {
    const described = describe(event);
    if (described) send(described.percent ?? sent, described.message);
  };
}

function describe(event: RunEventMessage): { percent?: number; message: string } | null {
  const data = event.data as Record<string, unknown> | null;
  switch (event.type) {
    case RUN_EVENT.status: {
      const status = RunStatusData.safeParse(event.data);
      return status.success ? { message: `run ${status.data.status} (attempt ${status.data.attempt})` } : null;
    }
    case RUN_EVENT.progress: {
      const progress = RunProgressData.safeParse(event.data);
      return progress.success ? { percent: progress.data.fraction * TOTAL, message: progress.data.message ?? 'working' } : null;
    }
    case RUN_EVENT.done:
      return { percent: TOTAL, message: `run ${String(data?.status ?? 'finished')}` };
    case DISCUSSION_EVENT.turnCompleted:
      return { message: `turn ${Number(data?.turn) + 1} (round ${String(data?.round)}) answered` };
    case DISCUSSION_EVENT.synthesis:
      return { message: 'synthesis written' };
    case ANALYSIS_EVENT.files:
      return { message: `${String(data?.done)} of ${String(data?.total)} files analysed` };
    case ANALYSIS_EVENT.findings:
      return { message: `${String(data?.total)} findings (${String(data?.opened)} new, ${String(data?.fixed)} fixed)` };
    default:
      return null;
  }
}
