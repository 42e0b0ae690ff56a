// A second line of defence behind markdownToSafeHtml (which already escapes raw HTML and drops
// unsafe links): the HTML is parsed into an inert <template> (nothing runs, nothing loads) and
// only an allow-list of elements and attributes survives into the live document. Reports quote
// model output, so whatever marked might let through in a future version must still not run.

const ALLOWED_ELEMENTS = new Set([
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'a', 'em', 'strong', 'del', 's', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'br', 'img', 'span', 'input', 'sup', 'sub',
]);
/** Dropped with their content: what they hold is not meant to be read as text. */
const DROPPED_ELEMENTS = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript', 'link', 'meta', 'base', 'form']);
const GLOBAL_ATTRIBUTES = new Set(['id', 'class', 'title', 'align']);
const ELEMENT_ATTRIBUTES: Record<string, Set<string>> = {
  a: new Set(['href']),
  img: new Set(['src', 'alt']),
  input: new Set(['type', 'checked', 'disabled']),
  ol: new Set(['start']),
};
const SAFE_LINK = /^(https?:|mailto:|#)/i;
/** The webview may load images from itself and data: only (its CSP says the same). */
const SAFE_IMAGE = /^data:image\/(png|jpe?g|gif|webp);base64,/i;

/** Parses `html` inertly and returns only what the allow-list keeps. */
export function sanitisedFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  cleanChildren(template.content);
  return template.content;
}

function cleanChildren(parent: ParentNode): void {
  for (const child of [...parent.childNodes]) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove(); // comments, processing instructions
      continue;
    }
    const element = child as Element;
    const tag = element.localName;
    if (DROPPED_ELEMENTS.has(tag)) {
      element.remove();
    } else if (!ALLOWED_ELEMENTS.has(tag)) {
      // Unknown markup is shown as its text, never rendered.
      element.replaceWith(document.createTextNode(element.textContent ?? ''));
    } else {
      cleanAttributes(element, tag);
      cleanChildren(element);
    }
  }
}

function cleanAttributes(element: Element, tag: string): void {
  for (const { name, value } of [...element.attributes]) {
    const allowed = GLOBAL_ATTRIBUTES.has(name) || ELEMENT_ATTRIBUTES[tag]?.has(name);
    if (!allowed) element.removeAttribute(name);
    else if (name === 'href' && !SAFE_LINK.test(value.trim())) element.removeAttribute(name);
  }
  if (tag === 'img' && !SAFE_IMAGE.test(element.getAttribute('src')?.trim() ?? '')) {
    element.replaceWith(document.createTextNode(`[${element.getAttribute('alt') ?? 'image'}]`));
  }
  if (tag === 'input' && element.getAttribute('type') !== 'checkbox') element.remove();
  if (tag === 'input') element.setAttribute('disabled', '');
}
