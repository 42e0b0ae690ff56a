// One persona card and the sections that hold cards. Cards are `role="option"` inside a
// `role="listbox"`; the picker moves focus between them (roving tabindex) and toggles them.
import type { PersonaCard } from '#protocol/webview.ts';
import { codicon, h } from '../common/dom.ts';

export interface SectionSpec {
  /** Stable key (remembers open/closed across refreshes). */
  key: string;
  title: string;
  personas: PersonaCard[];
  /** Nested sections (the categories under "By category"). */
  children?: SectionSpec[];
}

export function renderCard(persona: PersonaCard, selected: boolean, categoryLabel: (id: string) => string, sectionKey: string): HTMLElement {
  const portrait = persona.portrait
    ? h('img', { class: 'portrait', src: persona.portrait, alt: '', width: '48', height: '48' })
    : h('span', { class: 'portrait portrait-initials', 'aria-hidden': 'true' }, initials(persona.name));
  return h(
    'div',
    {
      class: `card${selected ? ' selected' : ''}`,
      role: 'option',
      tabindex: '-1',
      'aria-selected': String(selected),
      'aria-label': `${persona.name}, ${persona.role}, ${persona.level}${persona.builtIn ? ', built-in' : ''}`,
      'data-id': persona.id,
      'data-section': sectionKey,
    },
    portrait,
    h(
      'div',
      { class: 'card-body' },
      h('div', { class: 'card-title' }, h('span', { class: 'name' }, persona.name), h('span', { class: 'level' }, persona.level), selected ? codicon('pass-filled', 'check') : undefined),
      h('div', { class: 'role' }, persona.role),
      persona.description ? h('div', { class: 'description', title: persona.description }, persona.description) : undefined,
      chips('traits', persona.traits, 'Traits'),
      chips('specializations', persona.specializations.map(categoryLabel), 'Specializations'),
    ),
  );
}

function chips(kind: string, values: string[], label: string): HTMLElement | undefined {
  if (values.length === 0) return undefined;
  return h('ul', { class: `chips ${kind}`, 'aria-label': label }, ...values.map((value) => h('li', { class: 'chip' }, value)));
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
}

/** Case-insensitive match on everything the card shows. */
export function matches(persona: PersonaCard, query: string, categoryLabel: (id: string) => string): boolean {
  if (!query) return true;
  const haystack = [persona.name, persona.role, persona.description, persona.level, ...persona.traits, ...persona.specializations.map(categoryLabel)].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
