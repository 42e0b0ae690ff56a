// The workflow run webview: one row per step (status, streamed output, the context Nyx injected
// and the prompt as sent), and "Retry from failed step". State comes from the host.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import type { WorkflowRunHostMethods, WorkflowRunPersisted, WorkflowRunStepView, WorkflowRunViewMethods, WorkflowRunViewState } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';

const STEP_ICONS: Record<WorkflowRunStepView['status'], string> = { pending: 'circle-large-outline', running: 'sync codicon-modifier-spin', completed: 'pass', reused: 'history', failed: 'error' };
const RUN_ICONS: Record<string, string> = { pending: 'clock', running: 'sync codicon-modifier-spin', succeeded: 'pass', failed: 'error', cancelled: 'circle-slash' };

const root = document.getElementById('root')!;
const title = h('h1', { id: 'title' });
const status = h('span', { id: 'status', class: 'status', role: 'status' });
const failure = h('p', { id: 'failure', class: 'error-text', hidden: true });
const retryButton = h('vscode-button', { id: 'retry', icon: 'debug-restart', hidden: true }, 'Retry from failed step');
const retried = h('p', { id: 'retried', class: 'muted', hidden: true });
const steps = h('ol', { id: 'steps', class: 'steps', 'aria-label': 'Steps' });
root.append(h('header', {}, h('div', { class: 'heading' }, title, status), h('div', { class: 'actions' }, retryButton)), failure, retried, steps);

const rows = new Map<number, { element: HTMLElement; output: HTMLElement; context: HTMLElement; icon: HTMLElement; meta: HTMLElement; key: string }>();

const host = connectToHost<WorkflowRunViewState, WorkflowRunHostMethods, WorkflowRunViewMethods, WorkflowRunPersisted>({
  onState: render,
  handlers: {
    clickRetry: () => {
      if (retryButton.hidden) throw new Error('the run has not failed: nothing to retry');
      retryButton.click();
      return null;
    },
    describeView: () => ({
      steps: [...steps.querySelectorAll<HTMLElement>('.step')].map((element) => ({
        name: element.querySelector('.step-name')?.textContent ?? '',
        status: element.dataset.status ?? '',
        output: element.querySelector('.output')?.textContent ?? '',
        injected: element.querySelectorAll('.injected li').length,
      })),
      status: status.textContent?.trim() ?? '',
      retryShown: !retryButton.hidden,
    }),
  },
});

retryButton.addEventListener('click', () => {
  retryButton.setAttribute('disabled', '');
  host
    .request('retry', {})
    .catch((error: Error) => {
      failure.hidden = false;
      failure.textContent = error.message;
    })
    .finally(() => retryButton.removeAttribute('disabled'));
});

const restored = host.restored();
if (restored?.state) render(restored.state);

function render(state: WorkflowRunViewState): void {
  host.persist({ runId: state.runId, state });
  title.replaceChildren(codicon('run-all'), ` ${state.workflowName} `, h('span', { class: 'muted version' }, `v${state.version}`));
  status.className = `status status-${state.status}`;
  status.replaceChildren(codicon(RUN_ICONS[state.status] ?? 'circle'), ` ${state.status}`);
  failure.hidden = !state.error;
  failure.textContent = state.error ?? '';
  retryButton.hidden = !(state.status === 'failed' || state.status === 'cancelled');
  retried.hidden = !state.retriedAs;
  if (state.retriedAs) {
    const open = h('vscode-button', { secondary: true, icon: 'link-external' }, 'Open the retry');
    open.addEventListener('click', () => void host.request('openRun', { runId: state.retriedAs! }));
    retried.replaceChildren('A retry was started. ', open);
  }
  for (const step of state.steps) renderStep(step);
}

function renderStep(step: WorkflowRunStepView): void {
  let row = rows.get(step.index);
  if (!row) {
    const icon = h('span', { class: 'step-icon' });
    const meta = h('span', { class: 'muted step-meta' });
    const output = h('div', { class: 'output' });
    const context = h('div', { class: 'context' });
    const element = h('li', { class: 'step' }, h('div', { class: 'step-head' }, icon, h('span', { class: 'step-name' }, step.name), meta), context, output);
    row = { element, output, context, icon, meta, key: '' };
    rows.set(step.index, row);
    steps.append(element);
  }
  row.element.dataset.status = step.status;
  row.element.setAttribute('aria-label', `Step ${step.index + 1} ${step.name}: ${step.status}`);
  row.icon.replaceChildren(codicon(STEP_ICONS[step.status]));
  row.meta.textContent = [step.persona, step.model, step.status].filter(Boolean).join(' · ');
  const contextKey = `${step.injected.length}:${step.prompt?.length ?? 0}:${step.error ?? ''}`;
  if (row.key !== contextKey) {
    row.key = contextKey;
    row.context.replaceChildren(...contextOf(step));
  }
  if (row.output.textContent !== step.output) row.output.textContent = step.output;
  row.output.hidden = !step.output;
}

function contextOf(step: WorkflowRunStepView): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (step.error) parts.push(h('p', { class: 'error-text' }, codicon('error'), ` ${step.error}`));
  if (step.injected.length > 0) {
    parts.push(
      h('div', { class: 'injected-box' },
        h('span', { class: 'muted' }, codicon('info'), ' Nyx added context the template did not reference:'),
        h('ul', { class: 'injected' }, ...step.injected.map((item) => h('li', {}, item.kind === 'step-output' ? `output of "${item.step}"` : item.kind, h('span', { class: 'muted' }, ` (${item.chars.toLocaleString()} characters)`)))),
      ),
    );
  }
  if (step.prompt) parts.push(h('details', { class: 'prompt' }, h('summary', {}, 'Prompt as sent'), h('pre', {}, step.prompt)));
  return parts;
}
