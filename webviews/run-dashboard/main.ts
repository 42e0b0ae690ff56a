// The run dashboard webview: status, progress, result and the event log of one run, drawn from
// the state the extension posts (protocol/webview.ts). Colours come from VS Code's theme variables.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import type { RunEventMessage } from '#protocol/events.ts';
import type { RunStatus } from '#protocol/runs.ts';
import type { RunDashboardHostMethods, RunDashboardPersisted, RunDashboardState, RunDashboardView, RunDashboardViewMethods } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';
import { summariseResult } from './result-summary.ts';

const STATUS_ICONS: Record<RunStatus, string> = {
  pending: 'clock',
  running: 'sync codicon-modifier-spin',
  succeeded: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
};
const FINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

const root = document.getElementById('root')!;
const title = h('h1', { id: 'title' });
const status = h('span', { id: 'status', class: 'status', role: 'status' });
const cancelButton = h('vscode-button', { id: 'cancel', secondary: true, icon: 'debug-stop' }, 'Cancel run');
const logButton = h('vscode-button', { id: 'show-log', secondary: true, icon: 'output' }, 'Show log');
const progressBar = h('vscode-progress-bar', { id: 'progress', max: '100', 'aria-label': 'Run progress' }) as HTMLElement & { value?: number; max: number };
const progressText = h('span', { id: 'progress-text', class: 'muted' });
const result = h('section', { id: 'result', class: 'result', hidden: true });
const details = h('dl', { id: 'details', class: 'details' });
const eventCount = h('vscode-badge', { variant: 'counter', id: 'event-count' }, '0');
const eventRows = h('tbody', { id: 'event-rows' });
const placeholder = h('p', { class: 'muted', id: 'placeholder' }, 'Waiting for the extension…');

root.append(
  h('header', {}, h('div', { class: 'heading' }, title, status), h('div', { class: 'actions' }, cancelButton, logButton)),
  h('section', { class: 'progress' }, progressBar, progressText),
  result,
  details,
  h('h2', {}, 'Events ', eventCount),
  h('div', { class: 'event-log' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Time'), h('th', {}, 'Type'), h('th', {}, 'Data'))), eventRows)),
  placeholder,
);

let current: RunDashboardState | undefined;

const host = connectToHost<RunDashboardState, RunDashboardHostMethods, RunDashboardViewMethods, RunDashboardPersisted>({
  onState: render,
  handlers: { describeView },
});

cancelButton.addEventListener('click', () => {
  cancelButton.setAttribute('disabled', '');
  host.request('cancelRun', {}).catch((error: Error) => {
    cancelButton.removeAttribute('disabled');
    showInlineError(error.message);
  });
});
logButton.addEventListener('click', () => void host.request('showLog', {}));

// A reloaded window shows what it had at once; the host's state follows after `ready`.
const restored = host.restored();
if (restored?.state) render(restored.state);

function render(state: RunDashboardState): void {
  const { run } = state;
  const previous = current;
  current = state;
  host.persist({ runId: run.id, state });
  placeholder.hidden = true;

  title.replaceChildren(codicon('beaker'), ` ${run.kind} run`);
  status.className = `status status-${run.status}`;
  status.replaceChildren(codicon(STATUS_ICONS[run.status]), ` ${run.status}${state.live || FINAL.includes(run.status) ? '' : ' (not live)'}`);
  cancelButton.hidden = FINAL.includes(run.status);
  if (run.cancelRequested) cancelButton.setAttribute('disabled', '');

  const percent = Math.round(run.progress * 100);
  progressBar.value = percent;
  progressBar.toggleAttribute('indeterminate', run.status === 'pending');
  progressText.textContent = `${percent}%${run.progressMessage ? ` · ${run.progressMessage}` : ''}`;

  renderResult(run.kind, run.status, run.result, run.error);
  details.replaceChildren(
    ...detail('Run', run.id),
    ...detail('Project', run.projectId),
    ...detail('Started', run.startedAt ? new Date(run.startedAt).toLocaleString() : 'not yet'),
    ...detail('Finished', run.finishedAt ? new Date(run.finishedAt).toLocaleString() : '—'),
    ...detail('Attempts', String(run.attempts)),
  );
  renderEvents(previous?.run.id === run.id ? previous.events : [], state.events);
}

function renderResult(kind: string, runStatus: RunStatus, value: unknown, error: string | null): void {
  result.hidden = !FINAL.includes(runStatus);
  if (result.hidden) return;
  result.className = `result result-${runStatus}`;
  if (runStatus === 'failed') result.replaceChildren(h('h2', {}, codicon('error'), ' Failed'), h('p', { class: 'error-text' }, error ?? 'No reason given'));
  else if (runStatus === 'cancelled') result.replaceChildren(h('h2', {}, codicon('circle-slash'), ' Cancelled'), h('p', {}, error ?? 'The run was cancelled before it finished.'));
  else {
    // The summary in words first; the JSON for whoever needs it, folded.
    const summary = summariseResult(kind, value);
    result.replaceChildren(
      h('h2', {}, codicon('pass'), ' Result'),
      h('p', { class: 'result-headline' }, summary.headline),
      h('dl', { class: 'result-facts' }, ...summary.facts.flatMap(([label, text]) => [h('dt', {}, label), h('dd', {}, text)])),
      h('details', { class: 'raw-result' }, h('summary', {}, 'Raw result (JSON)'), h('pre', {}, JSON.stringify(value, null, 2))),
    );
  }
}

/** Appends only the new rows; rebuilds when the window of kept events moved. */
function renderEvents(before: RunEventMessage[], after: RunEventMessage[]): void {
  const continues = before.length > 0 && after.length >= before.length && after[0]?.seq === before[0]?.seq;
  const fresh = continues ? after.slice(before.length) : after;
  if (!continues) eventRows.replaceChildren();
  for (const event of fresh) {
    eventRows.append(
      h('tr', { class: `event event-${event.type.replace(/[^\w-]/g, '-')}` }, h('td', { class: 'seq' }, String(event.seq)), h('td', { class: 'time' }, new Date(event.createdAt).toLocaleTimeString()), h('td', { class: 'type' }, event.type), h('td', { class: 'data' }, summarise(event.data))),
    );
  }
  eventCount.textContent = String(after.length);
  if (fresh.length > 0) eventRows.lastElementChild?.scrollIntoView({ block: 'nearest' });
}

function detail(term: string, value: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function summarise(data: unknown): string {
  const text = JSON.stringify(data) ?? '';
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function showInlineError(message: string): void {
  result.hidden = false;
  result.className = 'result result-failed';
  result.replaceChildren(h('p', { class: 'error-text' }, message));
}

function describeView(): RunDashboardView {
  return {
    title: title.textContent?.trim() ?? '',
    status: status.textContent?.trim() ?? '',
    progressPercent: Number(progressBar.value ?? 0),
    eventRows: eventRows.children.length,
    resultSummary: result.hidden
      ? []
      : [result.querySelector('.result-headline')?.textContent ?? '', ...[...result.querySelectorAll('.result-facts dt')].map((term) => `${term.textContent}: ${term.nextElementSibling?.textContent ?? ''}`)].filter(Boolean),
    rawResultFolded: !(result.querySelector('details.raw-result') as HTMLDetailsElement | null)?.open,
    theme: document.body.dataset.vscodeThemeKind ?? '',
  };
}
