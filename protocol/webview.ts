import type { Run } from './runs.ts';
import type { RunEventMessage } from './events.ts';

/**
 * Messages between the extension host and its webviews. Both sides can ask the other something:
 * a request carries a `seq`, and the answer comes back as a response with the same `seq`.
 * The webview says `ready` once its script runs; the host posts nothing before that.
 *
 * Each surface declares its state and two method tables: what the webview may ask the host
 * (`HostMethods`) and what the host may ask the webview (`ViewMethods`).
 */

/** A method table: each method's parameters and result. */
export type MethodTable = Record<string, { params: unknown; result: unknown }>;

export type RequestMessage<M extends MethodTable> = {
  [K in keyof M & string]: { type: 'request'; seq: number; method: K; params: M[K]['params'] };
}[keyof M & string];

export type ResponseMessage =
  | { type: 'response'; seq: number; ok: true; result: unknown }
  /** `error` is a message for the user, shown as is. */
  | { type: 'response'; seq: number; ok: false; error: string };

/** Webview → host. */
export type WebviewMessage<HostMethods extends MethodTable> = { type: 'ready' } | RequestMessage<HostMethods> | ResponseMessage;

/** Host → webview. `state` replaces the webview's whole state (it also keeps it with setState). */
export type HostMessage<State, ViewMethods extends MethodTable> = { type: 'state'; state: State } | RequestMessage<ViewMethods> | ResponseMessage;

/** Narrows an unknown `message` event payload to the envelope both sides speak. */
export function isEnvelope(value: unknown): value is { type: 'ready' | 'state' | 'request' | 'response'; seq?: number } {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'state' || type === 'request' || type === 'response';
}

// ---- Run dashboard (webviews/run-dashboard) ----

export const RUN_DASHBOARD_VIEW_TYPE = 'nyx.runDashboard';

export interface RunDashboardState {
  /** The run as last seen (tenant stream, or a run event applied to it). */
  run: Run;
  /** The run's events in seq order, the newest MAX_DASHBOARD_EVENTS of them. */
  events: RunEventMessage[];
  /** Whether the host is still receiving this run's events (false once it ended or the stream gave up). */
  live: boolean;
}

/** Older events fall off the dashboard's log; the run keeps them on the server. */
export const MAX_DASHBOARD_EVENTS = 500;

/** What the dashboard may ask the extension. */
export interface RunDashboardHostMethods extends MethodTable {
  /** Ask the server to cancel the run; answers with the status the server returned. */
  cancelRun: { params: Record<string, never>; result: { status: Run['status'] } };
  /** Reveal the "Nyx" output channel. */
  showLog: { params: Record<string, never>; result: null };
}

/** What the extension may ask the dashboard (tests use it to see what a user sees). */
export interface RunDashboardViewMethods extends MethodTable {
  describeView: { params: Record<string, never>; result: RunDashboardView };
}

/** The dashboard as rendered: texts read back from the DOM. */
export interface RunDashboardView {
  title: string;
  status: string;
  /** 0 to 100, from the progress bar. */
  progressPercent: number;
  /** Rows in the event log. */
  eventRows: number;
  /** `vscode-light`, `vscode-dark`, `vscode-high-contrast` or `vscode-high-contrast-light`. */
  theme: string;
}

/** What the webview keeps with `setState` so a reloaded window can restore the panel. */
export interface RunDashboardPersisted {
  runId: string;
  state?: RunDashboardState;
}
