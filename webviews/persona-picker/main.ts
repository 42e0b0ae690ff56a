// The persona picker webview: collapsible sections (built-in, team, by category) of persona cards,
// search, single or multi select, fully usable from the keyboard. State comes from the host
// (protocol/webview.ts); the selection lives here until Confirm.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import type { PersonaCard, PersonaPickerHostMethods, PersonaPickerState, PersonaPickerView, PersonaPickerViewMethods } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';
import { matches, renderCard } from './cards.ts';
import type { SectionSpec } from './cards.ts';

const root = document.getElementById('root')!;
const title = h('h1', { id: 'title' }, 'Choose personas');
const search = h('input', { id: 'search', type: 'search', placeholder: 'Search name, role, trait, specialization…', 'aria-label': 'Search personas', 'aria-controls': 'sections' });
const summary = h('p', { id: 'summary', class: 'muted', role: 'status' });
const hint = h('p', { class: 'muted hint' }, 'Arrow keys move, Space or Enter chooses, Ctrl+Enter confirms, Escape cancels.');
const sections = h('div', { id: 'sections' });
const message = h('p', { id: 'message', class: 'muted' }, 'Loading personas…');
const confirmButton = h('vscode-button', { id: 'confirm', icon: 'check' }, 'Confirm');
const cancelButton = h('vscode-button', { id: 'cancel', secondary: true }, 'Cancel');

root.append(
  h('header', {}, title, h('div', { class: 'search-row' }, codicon('search'), search), summary, hint),
  message,
  sections,
  h('footer', {}, confirmButton, cancelButton),
);

let state: PersonaPickerState | undefined;
let selected: string[] = [];
let query = '';
/** Sections the user opened or closed, by key; unknown keys use the default (top level open). */
const openState = new Map<string, boolean>();

const host = connectToHost<PersonaPickerState, PersonaPickerHostMethods, PersonaPickerViewMethods, never>({
  onState: (next) => {
    const first = state === undefined;
    state = next;
    const known = new Set(next.personas.map((persona) => persona.id));
    selected = first ? next.preselected.filter((id) => known.has(id) || next.loading) : selected.filter((id) => known.has(id));
    render();
  },
  handlers: {
    describeView,
    search: ({ query: text }) => {
      search.value = text;
      search.dispatchEvent(new Event('input'));
      return null;
    },
    toggle: ({ id }) => {
      const card = sections.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(id)}"]`);
      if (!card) throw new Error(`no card for persona ${id}`);
      card.click();
      return null;
    },
    pressConfirm: () => {
      // After this answer is on its way: confirming closes the panel.
      setTimeout(() => confirmButton.click(), 0);
      return null;
    },
  },
});

search.addEventListener('input', () => {
  query = search.value.trim();
  render();
});
confirmButton.addEventListener('click', () => void confirm());
cancelButton.addEventListener('click', () => void host.request('cancel', {}));
sections.addEventListener('click', (event) => {
  const card = (event.target as HTMLElement).closest<HTMLElement>('.card');
  if (card) toggle(card.dataset.id!, card);
});
sections.addEventListener('toggle', (event) => {
  const details = event.target as HTMLDetailsElement;
  if (details.dataset.key) openState.set(details.dataset.key, details.open);
}, true);
document.addEventListener('keydown', onKey);

function onKey(event: KeyboardEvent): void {
  const target = event.target as HTMLElement;
  const card = target.closest?.('.card') as HTMLElement | null;
  if (event.key === 'Escape') {
    event.preventDefault();
    void host.request('cancel', {});
  } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void confirm();
  } else if (card && (event.key === ' ' || event.key === 'Enter')) {
    event.preventDefault();
    toggle(card.dataset.id!, card);
    if (event.key === 'Enter' && !state?.multi) void confirm();
  } else if (card && ['ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft', 'Home', 'End'].includes(event.key)) {
    event.preventDefault();
    moveFocus(card, event.key);
  } else if (target === search && (event.key === 'ArrowDown' || event.key === 'Enter')) {
    event.preventDefault();
    const first = reachableCards()[0];
    if (first) focusCard(first);
  }
}

function toggle(id: string, card: HTMLElement): void {
  if (!state) return;
  if (selected.includes(id)) selected = selected.filter((other) => other !== id);
  else if (!state.multi) selected = [id];
  else if (selected.length < state.max) selected = [...selected, id];
  render({ id, section: card.dataset.section! });
}

async function confirm(): Promise<void> {
  if (!state || !canConfirm()) {
    summary.classList.add('attention');
    return;
  }
  try {
    await host.request('confirm', { ids: selected });
  } catch (error) {
    message.hidden = false;
    message.textContent = (error as Error).message;
  }
}

function canConfirm(): boolean {
  return state !== undefined && selected.length >= state.min && selected.length <= state.max;
}

/** Cards the keyboard can reach: inside open sections only. */
function reachableCards(): HTMLElement[] {
  return [...sections.querySelectorAll<HTMLElement>('.card')].filter((card) => card.getClientRects().length > 0);
}

function moveFocus(from: HTMLElement, key: string): void {
  const cards = reachableCards();
  const index = cards.indexOf(from);
  const next = key === 'Home' ? 0 : key === 'End' ? cards.length - 1 : key === 'ArrowDown' || key === 'ArrowRight' ? Math.min(cards.length - 1, index + 1) : Math.max(0, index - 1);
  if (cards[next]) focusCard(cards[next]);
}

function focusCard(card: HTMLElement): void {
  for (const other of sections.querySelectorAll<HTMLElement>('.card[tabindex="0"]')) other.tabIndex = -1;
  card.tabIndex = 0;
  card.focus();
  card.scrollIntoView({ block: 'nearest' });
}

function categoryLabel(id: string): string {
  return state?.categories.find((category) => category.id === id)?.label ?? id;
}

function sectionSpecs(personas: PersonaCard[]): SectionSpec[] {
  const byCategory = (state?.categories ?? [])
    .map((category) => ({ key: `category:${category.id}`, title: category.label, personas: personas.filter((persona) => persona.specializations.includes(category.id)) }))
    .filter((section) => section.personas.length > 0);
  return [
    { key: 'builtin', title: 'Built-in', personas: personas.filter((persona) => persona.builtIn) },
    { key: 'team', title: 'Team', personas: personas.filter((persona) => !persona.builtIn) },
    { key: 'categories', title: 'By category', personas: [], children: byCategory },
  ];
}

function render(focus?: { id: string; section: string }): void {
  if (!state) return;
  const active = document.activeElement as HTMLElement | null;
  const keep = focus ?? (active?.classList.contains('card') ? { id: active.dataset.id!, section: active.dataset.section! } : undefined);
  title.textContent = state.title;
  document.title = state.title;
  message.hidden = !state.loading && !state.error && state.personas.length > 0;
  message.textContent = state.error ?? (state.loading ? 'Loading personas…' : 'No personas yet. Create one with "Nyx: Manage Personas".');
  const visible = state.personas.filter((persona) => matches(persona, query, categoryLabel));
  sections.replaceChildren(...sectionSpecs(visible).map((spec) => renderSection(spec, 0)).filter((node): node is HTMLElement => node !== undefined));
  const range = state.multi ? (state.min === state.max ? `${state.min}` : `${state.min}–${state.max}`) : '1';
  const names = selected.map((id) => state!.personas.find((persona) => persona.id === id)?.name ?? id);
  summary.textContent = `${selected.length} of ${range} chosen${names.length ? `: ${names.join(', ')}` : ''}${query ? ` · ${visible.length} match “${query}”` : ''}`;
  summary.classList.remove('attention');
  confirmButton.toggleAttribute('disabled', !canConfirm());
  // Roving tabindex: the kept card, else the first reachable one, takes Tab.
  const target = keep ? sections.querySelector<HTMLElement>(`.card[data-id="${CSS.escape(keep.id)}"][data-section="${CSS.escape(keep.section)}"]`) : null;
  const tabStop = target ?? reachableCards()[0];
  if (tabStop) tabStop.tabIndex = 0;
  if (target && keep) target.focus();
}

function renderSection(spec: SectionSpec, depth: number): HTMLElement | undefined {
  const children = (spec.children ?? []).map((child) => renderSection(child, depth + 1)).filter((node): node is HTMLElement => node !== undefined);
  const count = spec.children ? new Set(spec.children.flatMap((child) => child.personas.map((persona) => persona.id))).size : spec.personas.length;
  if (count === 0 && spec.key !== 'builtin' && spec.key !== 'team') return undefined;
  const open = openState.get(spec.key) ?? (depth === 0 && spec.key !== 'categories');
  const details = h('details', { class: `section depth-${depth}`, 'data-key': spec.key, open }, h('summary', {}, h('span', { class: 'section-title' }, spec.title), h('span', { class: 'count' }, String(count))));
  if (spec.personas.length > 0) {
    details.append(
      h(
        'div',
        { class: 'cards', role: 'listbox', 'aria-label': `${spec.title} personas`, 'aria-multiselectable': String(state?.multi ?? false) },
        ...spec.personas.map((persona) => renderCard(persona, selected.includes(persona.id), categoryLabel, spec.key)),
      ),
    );
  } else if (!spec.children) {
    details.append(h('p', { class: 'muted empty' }, query ? 'No match.' : spec.key === 'team' ? 'No team personas yet: duplicate a built-in or create one with "Nyx: Manage Personas".' : 'None.'));
  }
  details.append(...children);
  return details;
}

function describeView(): PersonaPickerView {
  const seen = new Set<string>();
  const visibleCards: PersonaPickerView['visibleCards'] = [];
  for (const card of sections.querySelectorAll<HTMLElement>('.card')) {
    const id = card.dataset.id!;
    if (seen.has(id)) continue;
    seen.add(id);
    visibleCards.push({ id, name: card.querySelector('.name')?.textContent ?? '', selected: card.getAttribute('aria-selected') === 'true' });
  }
  return {
    sections: [...sections.querySelectorAll<HTMLDetailsElement>('details.section')].map((details) => ({
      title: details.querySelector('.section-title')?.textContent ?? '',
      count: Number(details.querySelector('.count')?.textContent ?? 0),
      open: details.open,
    })),
    visibleCards,
    selectedIds: [...selected],
    confirmEnabled: canConfirm(),
    portraitsLoaded: [...sections.querySelectorAll<HTMLImageElement>('img.portrait')].filter((img) => img.complete && img.naturalWidth > 0).length,
    theme: document.body.dataset.vscodeThemeKind ?? '',
  };
}

search.focus();
