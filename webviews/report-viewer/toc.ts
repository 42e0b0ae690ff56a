// The table of contents: one entry per heading of the rendered body, nested by level through
// indentation. Clicking scrolls the heading into view; the entry of the section being read is
// marked while the body scrolls.
import { h } from '../common/dom.ts';

export interface TocEntry {
  level: number;
  text: string;
  id: string;
}

const HEADINGS = 'h1[id], h2[id], h3[id], h4[id]';

export function headingsOf(body: HTMLElement): TocEntry[] {
  return [...body.querySelectorAll<HTMLElement>(HEADINGS)].map((heading) => ({
    level: Number(heading.localName.slice(1)),
    text: heading.textContent?.trim() ?? '',
    id: heading.id,
  }));
}

/** Scrolls to the heading with this id; answers the heading's text, null when there is none. */
export function scrollToHeading(id: string): string | null {
  const heading = document.getElementById(id);
  if (!heading) return null;
  heading.scrollIntoView({ block: 'start', behavior: 'auto' });
  heading.focus({ preventScroll: true });
  return heading.textContent?.trim() ?? '';
}

export function renderToc(nav: HTMLElement, entries: TocEntry[]): void {
  const top = Math.min(...entries.map((entry) => entry.level));
  const list = h('ol', { class: 'toc-list' });
  for (const entry of entries) {
    const link = h('a', { href: `#${entry.id}`, 'data-target': entry.id, class: `toc-link toc-level-${entry.level - top}` }, entry.text);
    list.append(h('li', {}, link));
  }
  nav.replaceChildren(h('h2', { class: 'toc-title' }, 'Contents'), list);
  nav.hidden = entries.length === 0;
}

/** Marks the TOC entry of the last heading scrolled past the top of the viewport. */
export function followReading(nav: HTMLElement, body: HTMLElement): void {
  let frame = 0;
  const update = () => {
    frame = 0;
    let current: string | undefined;
    for (const heading of body.querySelectorAll<HTMLElement>(HEADINGS)) {
      if (heading.getBoundingClientRect().top > 80) break;
      current = heading.id;
    }
    for (const link of nav.querySelectorAll<HTMLElement>('.toc-link')) link.classList.toggle('current', link.dataset.target === current);
  };
  window.addEventListener('scroll', () => (frame ||= requestAnimationFrame(update)), { passive: true });
  update();
}
