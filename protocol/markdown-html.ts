// Markdown -> HTML for the PDF export and the report viewer webview (both render reports with these
// rules). The HTML must carry no script: raw HTML in the Markdown is shown as text (never passed through), and links
// and images keep only safe URL schemes. The renderer's page adds a strict CSP, disables
// JavaScript and blocks every network request on top of this (server/src/modules/reports/pdf-renderer.ts).
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { Marked, type Tokens } from 'marked';

const SAFE_LINK = /^(https?:|mailto:|#)/i;
/** Images may only be inline data (the page may fetch nothing); anything else shows its alt text. */
const SAFE_IMAGE = /^data:image\/(png|jpe?g|gif|webp);base64,/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Heading {
  depth: number;
  text: string;
  id: string;
}

function slug(text: string, used: Map<string, number>): string {
  const base = text.toLowerCase().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'section';
  const n = used.get(base) ?? 0;
  used.set(base, n + 1);
  return n ? `${base}-${n}` : base;
}

// The languages Nyx analyses and what reports quote around them (shell, SQL, diffs, configs);
// each brings its aliases (js, ts, py, yml, sh, patch, html...). Registering a set instead of
// importing all ~190 grammars keeps the report viewer's webview bundle ~1 MB smaller. Any other
// fence language renders as escaped plain text, as an unknown one always did.
const LANGUAGES = { bash, css, diff, go, java, javascript, json, markdown, plaintext, python, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

function highlight(code: string, lang: string | undefined): string {
  const language = lang?.trim().split(/\s+/)[0]?.toLowerCase();
  if (language && hljs.getLanguage(language)) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  return escapeHtml(code);
}

/** Renders GitHub-flavoured Markdown to HTML with no raw HTML, safe links, highlighted code and heading ids. */
export function markdownToSafeHtml(markdown: string): { html: string; headings: Heading[] } {
  const headings: Heading[] = [];
  const usedSlugs = new Map<string, number>();
  const marked = new Marked({
    gfm: true,
    renderer: {
      html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
      code: ({ text, lang }: Tokens.Code) => {
        const language = lang ? ` language-${escapeHtml(lang.split(/\s+/)[0]!)}` : '';
        return `<pre><code class="hljs${language}">${highlight(text, lang)}</code></pre>\n`;
      },
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { tokens, depth, text }: Tokens.Heading) {
        const id = slug(text, usedSlugs);
        headings.push({ depth, text, id });
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        if (!SAFE_LINK.test(href.trim())) return inner;
        return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
      },
      image: ({ href, text }: Tokens.Image) =>
        SAFE_IMAGE.test(href.trim()) ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">` : `<span class="image-alt">[${escapeHtml(text)}]</span>`,
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html, headings };
}
