// The diagnostic code link opens in a browser (VS Code hands it to the system), so a person who
// clicks it should read a page, not JSON. The same URL still answers JSON to API clients.
import type { RuleInfo } from '#protocol/findings.ts';
import { escapeHtml, markdownToSafeHtml } from '#protocol/markdown-html.ts';

/** No script, no external fetch: the docs are ours, but the page is served from the team server. */
export const RULE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** MITRE's page for a weakness: the CWE ids are validated as `CWE-<digits>` by the protocol. */
export function cweUrl(cwe: string): string {
  return `https://cwe.mitre.org/data/definitions/${cwe.replace(/^CWE-/, '')}.html`;
}

export function renderRulePage(rule: RuleInfo): string {
  const { html } = markdownToSafeHtml(rule.docs);
  const languages = rule.languages.includes('*') ? 'every text file' : rule.languages.join(', ');
  const cwe = rule.cwe?.length
    ? `\n  <dt>CWE</dt><dd>${rule.cwe.map((id) => `<a href="${escapeHtml(cweUrl(id))}">${escapeHtml(id)}</a>`).join(', ')}</dd>`
    : '';
  const owasp = rule.owasp?.length ? `\n  <dt>OWASP Top 10</dt><dd>${rule.owasp.map(escapeHtml).join(', ')}</dd>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(rule.id)} · Nyx</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  code { font-family: ui-monospace, monospace; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0 1.5rem; }
  .facts dt { opacity: .7; }
  pre { padding: .75rem; overflow-x: auto; border-radius: 4px; background: color-mix(in srgb, currentColor 7%, transparent); }
  pre.vulnerable { border-left: 3px solid #d33; } pre.fixed { border-left: 3px solid #3a3; }
  .severity-error { color: #d33; } .severity-warning { color: #c80; } .severity-info { color: #38c; }
</style></head>
<body>
<h1>${escapeHtml(rule.title)}</h1>
<dl class="facts">
  <dt>Rule</dt><dd><code>${escapeHtml(rule.id)}</code></dd>
  <dt>Severity</dt><dd class="severity-${escapeHtml(rule.severity)}">${escapeHtml(rule.severity)}</dd>${cwe}${owasp}
  <dt>Languages</dt><dd>${escapeHtml(languages)}</dd>
  <dt>Quick fix</dt><dd>${rule.fixable ? 'yes, a deterministic fix is offered in the editor' : 'no, fix by hand or ask a persona'}</dd>
</dl>
<h2>Why it matters</h2>
${html}
${examplesHtml(rule)}${referencesHtml(rule)}</body></html>
`;
}

function examplesHtml(rule: RuleInfo): string {
  if (!rule.examples) return '';
  const block = (title: string, cls: string, code: string) =>
    `<h3>${title}</h3>\n<pre class="${cls}"><code class="language-${escapeHtml(rule.examples!.language)}">${escapeHtml(code)}</code></pre>\n`;
  return `<h2>Example</h2>\n${block('Vulnerable', 'vulnerable', rule.examples.vulnerable)}${block('Fixed', 'fixed', rule.examples.fixed)}`;
}

function referencesHtml(rule: RuleInfo): string {
  if (!rule.references?.length) return '';
  // The protocol only admits URLs; http(s) alone become links, anything else stays text.
  const item = (url: string) => (/^https?:\/\//i.test(url) ? `<li><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></li>` : `<li>${escapeHtml(url)}</li>`);
  return `<h2>References</h2>\n<ul>\n${rule.references.map(item).join('\n')}\n</ul>\n`;
}
