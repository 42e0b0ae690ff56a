// The diagnostic code link opens in a browser (VS Code hands it to the system), so a person who
// clicks it should read a page, not JSON. The same URL still answers JSON to API clients.
import type { RuleInfo } from '#protocol/findings.ts';
import { escapeHtml, markdownToSafeHtml } from '#protocol/markdown-html.ts';

/** No script, no external fetch: the docs are ours, but the page is served from the team server. */
export const RULE_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function renderRulePage(rule: RuleInfo): string {
  const { html } = markdownToSafeHtml(rule.docs);
  const languages = rule.languages.includes('*') ? 'every text file' : rule.languages.join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(rule.id)} · Nyx</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  code { font-family: ui-monospace, monospace; }
  .facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1rem 0 1.5rem; }
  .facts dt { opacity: .7; }
  .severity-error { color: #d33; } .severity-warning { color: #c80; } .severity-info { color: #38c; }
</style></head>
<body>
<h1>${escapeHtml(rule.title)}</h1>
<dl class="facts">
  <dt>Rule</dt><dd><code>${escapeHtml(rule.id)}</code></dd>
  <dt>Severity</dt><dd class="severity-${escapeHtml(rule.severity)}">${escapeHtml(rule.severity)}</dd>
  <dt>Languages</dt><dd>${escapeHtml(languages)}</dd>
  <dt>Quick fix</dt><dd>${rule.fixable ? 'yes, a deterministic fix is offered in the editor' : 'no, fix by hand or ask a persona'}</dd>
</dl>
${html}
</body></html>
`;
}
