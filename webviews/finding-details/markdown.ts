import { markdownToSafeHtml } from '#protocol/markdown-html.ts';

/** Elements a rule's docs may use; anything else is dropped with its content kept as text. */
const ALLOWED = new Set(['p', 'em', 'strong', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote', 'span', 'br', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'del']);

/**
 * Markdown from the server (rule docs, examples) as DOM: the shared renderer escapes raw HTML and
 * highlights code; this keeps only the elements above, `class` (highlighting) and http(s) links.
 */
export function markdownFragment(markdown: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = markdownToSafeHtml(markdown).html;
  for (const element of [...template.content.querySelectorAll('*')]) {
    if (!ALLOWED.has(element.localName)) {
      element.replaceWith(document.createTextNode(element.textContent ?? ''));
      continue;
    }
    for (const attribute of [...element.attributes]) {
      const keep = attribute.name === 'class' || (attribute.name === 'href' && /^https?:\/\//i.test(attribute.value));
      if (!keep) element.removeAttribute(attribute.name);
    }
  }
  return template.content;
}
