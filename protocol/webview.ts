import type { Run } from './runs.ts';
import type { RunEventMessage } from './events.ts';
import type { StoredFinding } from './analysis.ts';
import type { RuleInfo, SourceRange } from './findings.ts';
import type { TriageEntry } from './triage.ts';

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
  /** The result's summary as shown: the headline, then "label: value" per fact; empty until final. */
  resultSummary?: string[];
  /** The raw result JSON is folded away (a closed <details>). */
  rawResultFolded?: boolean;
  /** `vscode-light`, `vscode-dark`, `vscode-high-contrast` or `vscode-high-contrast-light`. */
  theme: string;
}

/** What the webview keeps with `setState` so a reloaded window can restore the panel. */
export interface RunDashboardPersisted {
  runId: string;
  state?: RunDashboardState;
}

// ---- AI team: persona picker (webviews/persona-picker), discussion (webviews/discussion), workflow run (webviews/workflow-run) ----

export const PERSONA_PICKER_VIEW_TYPE = 'nyx.personaPicker';

/** A persona as the picker shows it. */
export interface PersonaCard {
  id: string;
  name: string;
  role: string;
  description: string;
  traits: string[];
  /** Category ids (protocol/personas.ts SPECIALIZATION_CATEGORIES). */
  specializations: string[];
  level: string;
  builtIn: boolean;
  /** A data: URI fetched by the host (the webview has no token); empty while it loads or when it failed. */
  portrait: string;
}

export interface PersonaPickerState {
  title: string;
  multi: boolean;
  /** How many must be chosen before Confirm is enabled (1 in single mode). */
  min: number;
  max: number;
  personas: PersonaCard[];
  categories: Array<{ id: string; label: string }>;
  /** Chosen when the picker opens; later states keep the webview's own selection. */
  preselected: string[];
  loading: boolean;
  error: string | null;
}

export type PersonaPickerHostMethods = {
  /** The user confirmed: the chosen ids in the order they were chosen. */
  confirm: { params: { ids: string[] }; result: null };
  cancel: { params: Record<string, never>; result: null };
};

/** What the host may ask the picker; `toggle`, `search` and `pressConfirm` act through the DOM (tests). */
export type PersonaPickerViewMethods = {
  describeView: { params: Record<string, never>; result: PersonaPickerView };
  search: { params: { query: string }; result: null };
  toggle: { params: { id: string }; result: null };
  pressConfirm: { params: Record<string, never>; result: null };
};

export interface PersonaPickerView {
  sections: Array<{ title: string; count: number; open: boolean }>;
  /** Cards that match the search, in the first section showing each persona. */
  visibleCards: Array<{ id: string; name: string; selected: boolean }>;
  selectedIds: string[];
  confirmEnabled: boolean;
  /** Cards whose portrait image has loaded. */
  portraitsLoaded: number;
  theme: string;
}

export const DISCUSSION_VIEW_TYPE = 'nyx.discussion';

export interface DiscussionBubble {
  round: number;
  turn: number;
  personaId: string;
  personaName: string;
  text: string;
  complete: boolean;
  model: string | null;
}

export interface DiscussionViewState {
  runId: string;
  topic: string;
  mode: string;
  rounds: number;
  status: Run['status'];
  error: string | null;
  /** Portraits by persona id (data: URIs fetched by the host). */
  portraits: Record<string, string>;
  turns: DiscussionBubble[];
  synthesis: {
    bestApproach: string;
    consensusPoints: string[];
    dissentPoints: Array<{ point: string; personas: string[] }>;
    nextSteps: string[];
  } | null;
  /** seq of the last run event applied: the Last-Event-ID to resume from. */
  lastSeq: number;
  live: boolean;
  /** The run "Implement" started, once it did. */
  implemented: { runId: string; kind: string } | null;
}

export type DiscussionHostMethods = {
  implement: { params: { target: 'workflow' | 'refactor' | 'autofix' }; result: { runId: string; kind: string } };
  openRun: { params: { runId: string }; result: null };
};

export type DiscussionViewMethods = {
  describeView: { params: Record<string, never>; result: DiscussionView };
  /** Chooses the target and clicks Implement, as a user would (tests). */
  clickImplement: { params: { target: 'workflow' | 'refactor' | 'autofix' }; result: null };
};

export interface DiscussionView {
  bubbles: Array<{ persona: string; round: number; text: string; portrait: boolean }>;
  synthesisShown: boolean;
  bestApproach: string;
  status: string;
  theme: string;
}

export interface DiscussionPersisted {
  runId: string;
  state?: DiscussionViewState;
}

export const WORKFLOW_RUN_VIEW_TYPE = 'nyx.workflowRun';

export interface WorkflowRunStepView {
  index: number;
  name: string;
  persona: string;
  status: 'pending' | 'running' | 'completed' | 'reused' | 'failed';
  output: string;
  model: string | null;
  error: string | null;
  /** What Nyx added to the prompt by itself (workflow.step.context), when anything. */
  injected: Array<{ kind: string; step?: string; chars: number }>;
  prompt: string | null;
}

export interface WorkflowRunViewState {
  runId: string;
  workflowName: string;
  version: number;
  status: Run['status'];
  error: string | null;
  steps: WorkflowRunStepView[];
  lastSeq: number;
  live: boolean;
  /** The run a retry started, once it did. */
  retriedAs: string | null;
}

export type WorkflowRunHostMethods = {
  retry: { params: Record<string, never>; result: { runId: string } };
  openRun: { params: { runId: string }; result: null };
};

export type WorkflowRunViewMethods = {
  /** Clicks "Retry from failed step", as a user would (tests). */
  clickRetry: { params: Record<string, never>; result: null };
  describeView: { params: Record<string, never>; result: { steps: Array<{ name: string; status: string; output: string; injected: number }>; status: string; retryShown: boolean } };
};

export interface WorkflowRunPersisted {
  runId: string;
  state?: WorkflowRunViewState;
}

// ---- Report viewer (webviews/report-viewer) ----

export const REPORT_VIEWER_VIEW_TYPE = 'nyx.reportViewer';

/** A report as the viewer shows it: the summary fields plus its Markdown body (protocol/reports.ts). */
export interface ReportViewerReport {
  id: string;
  kind: string;
  /** The kind as people read it ("Auto-fix"). */
  kindLabel: string;
  title: string;
  createdAt: string;
  markdown: string;
}

export interface ReportViewerState {
  /** null while the host loads it, or when loading failed (then `error` says why). */
  report: ReportViewerReport | null;
  error: string | null;
}

export type ReportFormat = 'markdown' | 'pdf';

/** What the viewer may ask the extension. */
export type ReportViewerHostMethods = {
  /** Save the report as a file (the host asks where); answers with the path, null when the user cancelled. */
  download: { params: { format: ReportFormat }; result: { path: string } | null };
  /** Open a cited policy clause (a `#nyx/policy/<key>/<number>` link of a compliance report). */
  openPolicyClause: { params: { documentKey: string; number: string }; result: null };
};

/** What the extension may ask the viewer (tests use it to see what a user sees, and to click). */
export type ReportViewerViewMethods = {
  describeView: { params: Record<string, never>; result: ReportViewerView };
  /** Clicks the table-of-contents entry with this heading id, as a user would. */
  clickTocEntry: { params: { id: string }; result: { scrolledTo: string | null } };
  /** Clicks the first body link with this href, as a user would; answers whether there was one. */
  clickLink: { params: { href: string }; result: { clicked: boolean } };
};

export interface ReportViewerView {
  title: string;
  /** The table of contents as rendered: one entry per heading of the body. */
  toc: Array<{ level: number; text: string; id: string }>;
  /** `<script>` elements in the rendered body (always 0: raw HTML is shown as text). */
  scriptsInBody: number;
  /** Elements in the rendered body carrying an `on…` event handler attribute. */
  inlineHandlers: number;
  codeBlocks: number;
  /** Code blocks with highlighted tokens. */
  highlightedBlocks: number;
  tables: number;
  /** The rendered body's text (what a user reads). */
  bodyText: string;
  theme: string;
}

/** What the viewer keeps with `setState` so a reloaded window can restore the panel. */
export interface ReportViewerPersisted {
  reportId: string;
  state?: ReportViewerState;
}

// ---- Finding details (webviews/finding-details) ----

export const FINDING_DETAILS_VIEW_TYPE = 'nyx.findingDetails';

/** One finding as the details panel shows it, with its rule and triage history (from the server). */
export interface FindingDetailsState {
  /** null while the host loads it, or when loading failed (then `error` says why). */
  finding: StoredFinding | null;
  rule: (RuleInfo & { docsUrl: string }) | null;
  history: TriageEntry[];
  /** The workspace has no folder on the finding's project: places are shown but cannot open. */
  canOpenLocations: boolean;
  error: string | null;
}

/** What the details panel may ask the extension. */
export type FindingDetailsHostMethods = {
  /** Opens a place of the finding (its range, or a data-flow step) in an editor. */
  openLocation: { params: { path: string; range: SourceRange }; result: boolean };
  /** The triage pick (false positive, won't fix, accepted, reopen); answers with whether it changed. */
  triage: { params: Record<string, never>; result: boolean };
  /** Undoes the newest triage change. */
  undoTriage: { params: Record<string, never>; result: boolean };
};

/** What the extension may ask the details panel (tests read what a user sees and click). */
export type FindingDetailsViewMethods = {
  describeView: { params: Record<string, never>; result: FindingDetailsView };
  /** Clicks the n-th data-flow step's place (0-based), as a user would. */
  clickFlowStep: { params: { index: number }; result: boolean };
};

export interface FindingDetailsView {
  title: string;
  /** The badges: severity, rule id, CWE ids, OWASP categories, status. */
  facts: string[];
  /** Section headings in order. */
  sections: string[];
  /** Each data-flow step as shown: "Source src/a.js:4:13 request parameter read". */
  flow: string[];
  /** Each triage entry as shown, undone ones marked "(undone)". */
  history: string[];
  examples: { vulnerable: string; fixed: string } | null;
  references: string[];
  theme: string;
}

/** What the details panel keeps with `setState` so a reloaded window can restore it. */
export interface FindingDetailsPersisted {
  findingId: string;
  state: FindingDetailsState;
}
