// The report viewer webview: a report's Markdown rendered and sanitised, a table of contents from
// its headings, highlighted code, styled tables, and Download Markdown / PDF (the host saves the
// file). The same Markdown → HTML rules as the PDF (protocol/markdown-html.ts),
// then an allow-list pass (sanitise.ts); the page's CSP allows no script but this bundle.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import './highlight.css';
import { markdownToSafeHtml } from '#protocol/markdown-html.ts';
import { parsePolicyRuleId } from '#protocol/policies.ts';
import type { ReportFormat, ReportViewerHostMethods, ReportViewerPersisted, ReportViewerState, ReportViewerView, ReportViewerViewMethods } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';
import { sanitisedFragment } from './sanitise.ts';
import { followReading, headingsOf, renderToc, scrollToHeading } from './toc.ts';

const root = document.getElementById('root')!;
const title = h('h1', { id: 'title' });
const meta = h('p', { id: 'meta', class: 'meta' });
const markdownButton = h('vscode-button', { id: 'download-markdown', secondary: true, icon: 'markdown' }, 'Download Markdown');
const pdfButton = h('vscode-button', { id: 'download-pdf', secondary: true, icon: 'file-pdf' }, 'Download PDF');
const notice = h('p', { id: 'notice', class: 'notice', role: 'status', hidden: true });
const toc = h('nav', { id: 'toc', class: 'toc', 'aria-label': 'Table of contents', hidden: true });
const body = h('article', { id: 'report-body', class: 'markdown-body' });
const placeholder = h('p', { id: 'placeholder', class: 'muted' }, 'Loading the report…');

root.append(
  h('header', { class: 'report-header' }, h('div', { class: 'heading' }, title, meta), h('div', { class: 'actions' }, markdownButton, pdfButton)),
  notice,
  h('div', { class: 'layout' }, toc, h('div', { class: 'content' }, placeholder, body)),
);

let renderedMarkdown: string | undefined;

const host = connectToHost<ReportViewerState, ReportViewerHostMethods, ReportViewerViewMethods, ReportViewerPersisted>({
  onState: render,
  handlers: {
    describeView,
    clickTocEntry: ({ id }) => {
      const link = toc.querySelector<HTMLAnchorElement>(`a[data-target="${CSS.escape(id)}"]`);
      if (!link) return { scrolledTo: null };
      link.click();
      return { scrolledTo: document.getElementById(id)?.textContent?.trim() ?? null };
    },
    clickLink: ({ href }) => {
      const link = [...body.querySelectorAll<HTMLAnchorElement>('a[href]')].find((candidate) => candidate.getAttribute('href') === href);
      link?.click();
      return { clicked: link !== undefined };
    },
  },
});

markdownButton.addEventListener('click', () => void download('markdown', markdownButton));
pdfButton.addEventListener('click', () => void download('pdf', pdfButton));

// In-page links (the TOC and the body's own #anchors) scroll here instead of navigating. A
// compliance report cites clauses as `#nyx/policy/<key>/<number>`: those open the clause.
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
  if (!link) return;
  event.preventDefault();
  const fragment = decodeURIComponent(link.getAttribute('href')!.slice(1));
  const cited = parsePolicyRuleId(fragment);
  if (cited) void host.request('openPolicyClause', cited).catch((error: unknown) => showNotice(error instanceof Error ? error.message : String(error), 'error'));
  else scrollToHeading(fragment);
});

followReading(toc, body);

// A reloaded window shows what it had at once; the host's fresh copy follows after `ready`.
const restored = host.restored();
if (restored?.state) render(restored.state);

function render(state: ReportViewerState): void {
  if (state.report) host.persist({ reportId: state.report.id, state });
  placeholder.hidden = state.report !== null;
  placeholder.textContent = state.error ?? 'Loading the report…';
  placeholder.className = state.error ? 'error-text' : 'muted';
  markdownButton.toggleAttribute('disabled', !state.report);
  pdfButton.toggleAttribute('disabled', !state.report);
  const report = state.report;
  if (!report) {
    title.textContent = 'Report';
    return;
  }
  title.textContent = report.title;
  meta.replaceChildren(h('span', { class: `kind kind-${report.kind}` }, report.kindLabel), ` · ${new Date(report.createdAt).toLocaleString()}`);
  if (renderedMarkdown === report.markdown) return; // the same body: keep the reader's scroll position
  renderedMarkdown = report.markdown;
  body.replaceChildren(sanitisedFragment(markdownToSafeHtml(report.markdown).html));
  for (const heading of body.querySelectorAll('h1, h2, h3, h4, h5, h6')) heading.setAttribute('tabindex', '-1');
  for (const table of body.querySelectorAll('table')) table.replaceWith(h('div', { class: 'table-wrap' }, table.cloneNode(true)));
  renderToc(toc, headingsOf(body));
}

async function download(format: ReportFormat, button: HTMLElement): Promise<void> {
  button.setAttribute('disabled', '');
  showNotice(format === 'pdf' ? 'Preparing the PDF…' : 'Saving the Markdown…', 'info');
  try {
    const saved = await host.request('download', { format });
    if (saved) showNotice(`Saved to ${saved.path}`, 'info');
    else notice.hidden = true;
  } catch (error) {
    // The server's own words (e.g. 503 pdf_unavailable names the setting to fix).
    showNotice(error instanceof Error ? error.message : String(error), 'error');
  } finally {
    button.removeAttribute('disabled');
  }
}

function showNotice(text: string, kind: 'info' | 'error'): void {
  notice.hidden = false;
  notice.className = `notice notice-${kind}`;
  notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  notice.replaceChildren(codicon(kind === 'error' ? 'error' : 'info'), ` ${text}`);
}

function describeView(): ReportViewerView {
  return {
    title: title.textContent?.trim() ?? '',
    toc: [...toc.querySelectorAll<HTMLAnchorElement>('.toc-link')].map((link) => ({
      level: Number(document.getElementById(link.dataset.target ?? '')?.localName.slice(1) ?? 0),
      text: link.textContent?.trim() ?? '',
      id: link.dataset.target ?? '',
    })),
    scriptsInBody: body.querySelectorAll('script').length,
    inlineHandlers: [...body.querySelectorAll('*')].filter((element) => [...element.attributes].some((attribute) => attribute.name.startsWith('on'))).length,
    codeBlocks: body.querySelectorAll('pre > code').length,
    highlightedBlocks: [...body.querySelectorAll('pre > code')].filter((code) => code.querySelector('[class^="hljs-"]')).length,
    tables: body.querySelectorAll('table').length,
    bodyText: body.innerText,
    theme: document.body.dataset.vscodeThemeKind ?? '',
  };
}
