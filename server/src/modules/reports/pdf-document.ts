// The printed form of a report: a title block with a QR code linking to the report on the server
// (the URL is printed too, for people without a camera), the sanitised body, and a running
// header (project, report type, date) and footer (page numbers) on every page.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { escapeHtml, markdownToSafeHtml } from '#protocol/markdown-html.ts';
import type { PdfPage } from './pdf-renderer.ts';

const require = createRequire(import.meta.url);
const HIGHLIGHT_CSS = readFileSync(require.resolve('highlight.js/styles/github.css'), 'utf8');

const PAGE_CSS = `
  body { font: 10.5pt/1.5 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .title-block { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; border-bottom: 2px solid #d0d7de; padding-bottom: 10px; margin-bottom: 16px; }
  .title-block h1 { font-size: 18pt; margin: 0 0 6px; }
  .title-block .meta { color: #59636e; font-size: 9pt; }
  .title-block .url { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
  .qr { width: 34mm; height: 34mm; flex: none; }
  .qr svg { width: 100%; height: 100%; }
  h1, h2, h3 { page-break-after: avoid; }
  h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 3px; }
  table { border-collapse: collapse; margin: 10px 0; page-break-inside: avoid; }
  th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; font-weight: 600; }
  tr:nth-child(even) td { background: #fbfcfd; }
  pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: 8px 10px; overflow-wrap: anywhere; white-space: pre-wrap; font-size: 8.5pt; page-break-inside: avoid; }
  pre code.hljs { padding: 0; background: none; }
  code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
  :not(pre) > code { background: #eff1f3; padding: 1px 4px; border-radius: 3px; }
  blockquote { border-left: 3px solid #d0d7de; color: #59636e; margin: 0; padding-left: 10px; }
  .image-alt { color: #59636e; font-style: italic; }
`;

export interface ReportPrint {
  title: string;
  projectName: string;
  kindLabel: string;
  /** YYYY-MM-DD of the report. */
  date: string;
  /** Where the report lives on the server; encoded in the QR code and printed. */
  url: string;
  markdown: string;
}

export async function buildReportPage(report: ReportPrint): Promise<PdfPage> {
  const { html: body } = markdownToSafeHtml(report.markdown);
  const qrSvg = await QRCode.toString(report.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  const context = `${escapeHtml(report.projectName)} — ${escapeHtml(report.kindLabel)}`;
  const html = `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(report.title)}</title>
<style>${HIGHLIGHT_CSS}${PAGE_CSS}</style></head>
<body>
<header class="title-block">
  <div>
    <h1>${escapeHtml(report.title)}</h1>
    <div class="meta">${context} — ${escapeHtml(report.date)}</div>
    <div class="meta url">${escapeHtml(report.url)}</div>
  </div>
  <div class="qr">${qrSvg}</div>
</header>
<main>${body}</main>
</body></html>`;
  const small = 'font-size:8px; color:#59636e; width:100%; padding:0 16mm; display:flex; justify-content:space-between; font-family:sans-serif;';
  return {
    html,
    headerTemplate: `<div style="${small}"><span>${context}</span><span>${escapeHtml(report.date)}</span></div>`,
    footerTemplate: `<div style="${small}"><span>${escapeHtml(report.title)}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`,
  };
}
