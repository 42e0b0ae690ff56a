// The finding details webview: what was found and where, the rule's facts (severity, CWE, OWASP),
// the fix, the data-flow path with a link per step, why it matters, the vulnerable and fixed
// examples, references, and the triage history with Triage and Undo. The host keeps it current.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode/codicons/dist/codicon.css';
import './style.css';
import type { StoredFinding } from '#protocol/analysis.ts';
import type { SourceRange } from '#protocol/findings.ts';
import type { TriageEntry } from '#protocol/triage.ts';
import type { FindingDetailsHostMethods, FindingDetailsPersisted, FindingDetailsState, FindingDetailsView, FindingDetailsViewMethods } from '#protocol/webview.ts';
import { connectToHost } from '../common/host-channel.ts';
import { codicon, h } from '../common/dom.ts';
import { markdownFragment } from './markdown.ts';

const STEP_LABEL = { source: 'Source', step: 'Step', sink: 'Sink' } as const;
const TRIAGE_LABEL: Record<TriageEntry['action'], string> = { 'false-positive': 'False positive', 'wont-fix': "Won't fix", accepted: 'Accepted', reopened: 'Reopened' };

const root = document.getElementById('root')!;
const title = h('h1', { id: 'title' }, 'Finding');
const facts = h('div', { id: 'facts', class: 'facts' });
const triageButton = h('vscode-button', { id: 'triage', secondary: true, icon: 'pass' }, 'Triage…');
const undoButton = h('vscode-button', { id: 'undo', secondary: true, icon: 'discard' }, 'Undo last triage');
const notice = h('p', { id: 'notice', class: 'notice', role: 'status', hidden: true });
const body = h('div', { id: 'details' });
root.append(h('header', { class: 'details-header' }, h('div', {}, title, facts), h('div', { class: 'actions' }, triageButton, undoButton)), notice, body);

const host = connectToHost<FindingDetailsState, FindingDetailsHostMethods, FindingDetailsViewMethods, FindingDetailsPersisted>({
  onState: render,
  handlers: {
    describeView,
    clickFlowStep: ({ index }) => {
      const link = body.querySelectorAll<HTMLAnchorElement>('#flow .place')[index];
      if (!link) return false;
      link.click();
      return true;
    },
  },
});

triageButton.addEventListener('click', () => void ask(() => host.request('triage', {})));
undoButton.addEventListener('click', () => void ask(() => host.request('undoTriage', {})));

const restored = host.restored();
if (restored?.state) render(restored.state);

function render(state: FindingDetailsState): void {
  const { finding, rule } = state;
  if (finding) host.persist({ findingId: finding.id, state });
  if (state.error) showNotice(state.error, 'error');
  if (!finding) {
    body.replaceChildren(h('p', { class: 'muted' }, state.error ? '' : 'Loading the finding…'));
    return;
  }
  title.textContent = rule?.title ?? finding.ruleId;
  const cwe = rule?.cwe?.length ? rule.cwe : finding.cwe;
  const owasp = rule?.owasp?.length ? rule.owasp : finding.owasp;
  facts.replaceChildren(
    badge(finding.severity, `severity severity-${finding.severity}`),
    badge(finding.ruleId, 'rule'),
    ...cwe.map((id) => link(`https://cwe.mitre.org/data/definitions/${id.replace(/^CWE-/, '')}.html`, id, 'badge cwe')),
    ...owasp.map((category) => badge(`OWASP ${category}`, 'owasp')),
    badge(statusText(finding), `status status-${finding.status}`),
  );
  undoButton.toggleAttribute('disabled', !state.history.some((entry) => !entry.undoneAt));
  triageButton.toggleAttribute('disabled', finding.status === 'fixed');

  const sections: HTMLElement[] = [
    section('found', 'What was found', h('blockquote', { class: 'message' }, finding.message), h('p', {}, 'At ', place(finding.path, finding.range, state.canOpenLocations))),
  ];
  if (finding.fix) sections.push(section('fix', 'Fix', h('p', {}, codicon('wrench'), ` ${finding.fix.description}`), h('p', { class: 'muted' }, 'In the editor: the light bulb (Ctrl+.) → "Apply fix".')));
  if (finding.flow?.length) {
    sections.push(
      section('flow', 'Data flow', h('ol', { class: 'flow' }, ...finding.flow.map((step) => h('li', { class: `flow-${step.kind}` }, h('strong', {}, STEP_LABEL[step.kind]), ' ', place(step.path, step.range, state.canOpenLocations), ` ${step.message}`)))),
    );
  }
  sections.push(section('why', 'Why it matters', rule ? h('div', { class: 'markdown' }, markdownFragment(rule.docs)) : h('p', { class: 'muted' }, 'The server has no documentation for this rule.')));
  if (rule?.examples) {
    const fence = (code: string) => markdownFragment('```' + rule.examples!.language + '\n' + code + '\n```');
    sections.push(
      section('examples', 'Example', h('div', { class: 'examples' }, h('div', { class: 'example vulnerable' }, h('h3', {}, codicon('error'), ' Vulnerable'), fence(rule.examples.vulnerable)), h('div', { class: 'example fixed' }, h('h3', {}, codicon('pass'), ' Fixed'), fence(rule.examples.fixed)))),
    );
  }
  if (rule?.references?.length) sections.push(section('references', 'References', h('ul', {}, ...rule.references.map((url) => h('li', {}, link(url, url))))));
  sections.push(
    section(
      'history',
      'Triage history',
      state.history.length
        ? h('ol', { class: 'history' }, ...state.history.map((entry) => h('li', { class: entry.undoneAt ? 'undone' : '' }, h('strong', {}, TRIAGE_LABEL[entry.action]), entry.reason ? `: ${entry.reason}` : '', h('span', { class: 'muted' }, ` · ${when(entry.at)}${entry.undoneAt ? ` · undone ${when(entry.undoneAt)}` : ''}`))))
        : h('p', { class: 'muted' }, 'Never triaged: the finding is as the analysis reported it.'),
    ),
  );
  body.replaceChildren(...sections);
}

function statusText(finding: StoredFinding): string {
  if (finding.status !== 'dismissed') return finding.status;
  return `dismissed: ${TRIAGE_LABEL[finding.resolution ?? 'accepted'].toLowerCase()}`;
}

function section(id: string, heading: string, ...content: Node[]): HTMLElement {
  return h('section', { id }, h('h2', {}, heading), ...content);
}

function badge(text: string, kind: string): HTMLElement {
  return h('span', { class: `badge ${kind}` }, text);
}

function link(href: string, text: string, kind = ''): HTMLElement {
  return h('a', { href, class: kind }, text);
}

function place(path: string, range: SourceRange, canOpen: boolean): HTMLElement {
  const label = `${path}:${range.startLine}:${range.startColumn}`;
  if (!canOpen) return h('code', { class: 'place' }, label);
  const anchor = h('a', { href: '#', class: 'place', title: `Open ${label}` }, h('code', {}, label));
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    void host.request('openLocation', { path, range });
  });
  return anchor;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

async function ask(request: () => Promise<boolean>): Promise<void> {
  notice.hidden = true;
  try {
    await request();
  } catch (error) {
    showNotice(error instanceof Error ? error.message : String(error), 'error');
  }
}

function showNotice(text: string, kind: 'info' | 'error'): void {
  notice.hidden = false;
  notice.className = `notice notice-${kind}`;
  notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  notice.replaceChildren(codicon(kind === 'error' ? 'error' : 'info'), ` ${text}`);
}

function describeView(): FindingDetailsView {
  const examples = body.querySelectorAll<HTMLElement>('#examples pre');
  return {
    title: title.textContent?.trim() ?? '',
    facts: [...facts.querySelectorAll('.badge')].map((element) => element.textContent?.trim() ?? ''),
    sections: [...body.querySelectorAll('section > h2')].map((heading) => heading.textContent?.trim() ?? ''),
    flow: [...body.querySelectorAll<HTMLElement>('#flow li')].map((item) => item.innerText.replace(/\s+/g, ' ').trim()),
    history: [...body.querySelectorAll<HTMLElement>('#history li')].map((item) => `${item.innerText.replace(/\s+/g, ' ').trim()}${item.classList.contains('undone') ? ' (undone)' : ''}`),
    examples: examples.length === 2 ? { vulnerable: examples[0]!.innerText, fixed: examples[1]!.innerText } : null,
    references: [...body.querySelectorAll<HTMLAnchorElement>('#references a')].map((anchor) => anchor.href),
    theme: document.body.dataset.vscodeThemeKind ?? '',
  };
}
