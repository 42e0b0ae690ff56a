// The discussion webview: one bubble per turn (portrait, persona, round) that fills as tokens
// stream in, then the synthesis (best approach, consensus, dissent, next steps) and "Implement".
// State comes from the host (protocol/webview.ts) and is kept with setState for a window reload.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import type { DiscussionBubble, DiscussionHostMethods, DiscussionPersisted, DiscussionView, DiscussionViewMethods, DiscussionViewState } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';

const STATUS_ICONS: Record<string, string> = { pending: 'clock', running: 'sync codicon-modifier-spin', succeeded: 'pass', failed: 'error', cancelled: 'circle-slash' };

const root = document.getElementById('root')!;
const title = h('h1', { id: 'topic' });
const meta = h('p', { id: 'meta', class: 'muted' });
const status = h('span', { id: 'status', class: 'status', role: 'status' });
const conversation = h('ol', { id: 'conversation', class: 'conversation', 'aria-label': 'Turns' });
const waiting = h('p', { id: 'waiting', class: 'muted' }, 'Waiting for the first turn…');
const synthesis = h('section', { id: 'synthesis', class: 'synthesis', hidden: true, 'aria-labelledby': 'synthesis-title' });
const failure = h('p', { id: 'failure', class: 'error-text', hidden: true });

root.append(h('header', {}, h('div', { class: 'heading' }, title, status), meta), conversation, waiting, failure, synthesis);

let current: DiscussionViewState | undefined;
const bubbles = new Map<number, { element: HTMLElement; text: HTMLElement; portrait: HTMLElement; key: string }>();

const host = connectToHost<DiscussionViewState, DiscussionHostMethods, DiscussionViewMethods, DiscussionPersisted>({
  onState: render,
  handlers: {
    describeView,
    clickImplement: ({ target }) => {
      const select = document.getElementById('implement-target') as HTMLSelectElement | null;
      const button = document.getElementById('implement');
      if (!select || !button) throw new Error('no synthesis yet: nothing to implement');
      select.value = target;
      button.click();
      return null;
    },
  },
});

const restored = host.restored();
if (restored?.state) render(restored.state);

function render(state: DiscussionViewState): void {
  const synthesisChanged = current?.synthesis !== state.synthesis || current?.implemented !== state.implemented || current?.status !== state.status;
  current = state;
  host.persist({ runId: state.runId, state });
  title.textContent = state.topic;
  meta.textContent = `${labelOfMode(state.mode)} · ${state.rounds} round${state.rounds === 1 ? '' : 's'} · ${new Set(state.turns.map((turn) => turn.personaId)).size || '…'} personas`;
  status.className = `status status-${state.status}`;
  status.replaceChildren(codicon(STATUS_ICONS[state.status] ?? 'circle'), ` ${state.status}${state.live || state.status !== 'running' ? '' : ' (not live)'}`);
  waiting.hidden = state.turns.length > 0 || state.status === 'failed' || state.status === 'cancelled';
  failure.hidden = !state.error;
  failure.textContent = state.error ?? '';
  let grew = false;
  for (const turn of state.turns) grew = renderBubble(turn, state.portraits[turn.personaId] ?? '') || grew;
  if (synthesisChanged || (state.synthesis && synthesis.hidden)) renderSynthesis(state);
  if (grew && isNearBottom()) window.scrollTo({ top: document.body.scrollHeight });
}

/** Creates or updates one bubble; only its text changes while tokens stream in. Returns whether it grew. */
function renderBubble(turn: DiscussionBubble, portrait: string): boolean {
  let bubble = bubbles.get(turn.turn);
  if (!bubble) {
    const text = h('div', { class: 'text' });
    const portraitSlot = h('span', { class: 'portrait-slot' });
    const element = h(
      'li',
      { class: 'bubble', 'data-turn': String(turn.turn), 'aria-label': `${turn.personaName}, round ${turn.round}` },
      portraitSlot,
      h('div', { class: 'bubble-body' }, h('div', { class: 'bubble-head' }, h('span', { class: 'persona' }, turn.personaName), h('span', { class: 'round' }, `Round ${turn.round}`), h('span', { class: 'model muted' })), text),
    );
    bubble = { element, text, portrait: portraitSlot, key: '' };
    bubbles.set(turn.turn, bubble);
    const after = [...bubbles.keys()].filter((key) => key > turn.turn).sort((a, b) => a - b)[0];
    conversation.insertBefore(element, after === undefined ? null : bubbles.get(after)!.element);
  }
  const portraitKey = portrait ? portrait.slice(-32) : turn.personaName;
  if (bubble.key !== portraitKey) {
    bubble.key = portraitKey;
    bubble.portrait.replaceChildren(portrait ? h('img', { class: 'portrait', src: portrait, alt: '' }) : h('span', { class: 'portrait portrait-initials', 'aria-hidden': 'true' }, turn.personaName.slice(0, 1)));
  }
  bubble.element.classList.toggle('streaming', !turn.complete);
  const model = bubble.element.querySelector('.model')!;
  model.textContent = turn.model ?? '';
  if (bubble.text.textContent === turn.text) return false;
  bubble.text.textContent = turn.text;
  return true;
}

function renderSynthesis(state: DiscussionViewState): void {
  const result = state.synthesis;
  synthesis.hidden = !result;
  if (!result) return;
  const list = (items: string[], empty: string) => (items.length ? h('ul', {}, ...items.map((item) => h('li', {}, item))) : h('p', { class: 'muted' }, empty));
  const target = h('select', { id: 'implement-target', 'aria-label': 'What to implement it as' }, h('option', { value: 'workflow' }, 'Workflow: discuss, decide, implement'), h('option', { value: 'refactor' }, 'Refactor run'), h('option', { value: 'autofix' }, 'Auto-fix run')) as HTMLSelectElement;
  const implement = h('vscode-button', { id: 'implement', icon: 'rocket' }, 'Implement');
  const implemented = h('p', { id: 'implemented', class: 'muted', role: 'status' });
  if (state.implemented) showImplemented(implemented, state.implemented);
  implement.addEventListener('click', () => {
    implement.setAttribute('disabled', '');
    implemented.textContent = 'Starting…';
    host
      .request('implement', { target: target.value as 'workflow' | 'refactor' | 'autofix' })
      .then((run) => showImplemented(implemented, run))
      .catch((error: Error) => {
        implemented.textContent = error.message;
        implemented.className = 'error-text';
      })
      .finally(() => implement.removeAttribute('disabled'));
  });
  synthesis.replaceChildren(
    h('h2', { id: 'synthesis-title' }, codicon('lightbulb'), ' Synthesis'),
    h('h3', {}, 'Best approach'),
    h('div', { id: 'best-approach', class: 'best-approach' }, result.bestApproach),
    h('div', { class: 'columns' },
      h('div', {}, h('h3', {}, codicon('pass'), ' Consensus'), list(result.consensusPoints, 'No points of consensus recorded.')),
      h('div', {}, h('h3', {}, codicon('warning'), ' Dissent'), result.dissentPoints.length ? h('ul', {}, ...result.dissentPoints.map((item) => h('li', {}, item.point, item.personas.length ? h('span', { class: 'muted' }, ` — ${item.personas.join(', ')}`) : undefined))) : h('p', { class: 'muted' }, 'No dissent.')),
    ),
    result.nextSteps.length ? h('div', {}, h('h3', {}, codicon('checklist'), ' Next steps'), list(result.nextSteps, '')) : '',
    h('div', { class: 'implement-row' }, target, implement),
    implemented,
  );
}

function showImplemented(slot: HTMLElement, run: { runId: string; kind: string }): void {
  const open = h('vscode-button', { secondary: true, icon: 'dashboard' }, 'Open run');
  open.addEventListener('click', () => void host.request('openRun', { runId: run.runId }));
  slot.className = 'muted';
  slot.replaceChildren(`Started a ${run.kind} run. `, open);
}

function labelOfMode(mode: string): string {
  return mode === 'parallel' ? 'Parallel opinions' : mode === 'consensus' ? 'Consensus' : 'Debate';
}

function isNearBottom(): boolean {
  return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
}

function describeView(): DiscussionView {
  return {
    bubbles: [...conversation.querySelectorAll<HTMLElement>('.bubble')].map((element) => ({
      persona: element.querySelector('.persona')?.textContent ?? '',
      round: Number((element.querySelector('.round')?.textContent ?? '').replace(/\D/g, '')),
      text: element.querySelector('.text')?.textContent ?? '',
      portrait: element.querySelector<HTMLImageElement>('img.portrait')?.complete === true,
    })),
    synthesisShown: !synthesis.hidden,
    bestApproach: document.getElementById('best-approach')?.textContent ?? '',
    status: status.textContent?.trim() ?? '',
    theme: document.body.dataset.vscodeThemeKind ?? '',
  };
}
