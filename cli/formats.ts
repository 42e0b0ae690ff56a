import { ANALYZER_VERSION } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { findRule, ruleDocsPath } from '#server/modules/analysis/rule-docs.ts';
import { buildSarif } from '#server/modules/analysis/sarif.ts';
import type { Severity } from '#protocol/findings.ts';
import type { ReportFinding } from './report-finding.ts';

/** Version of the JSON report; a baseline file is read by this shape (or as SARIF). */
export const JSON_REPORT_VERSION = 1;

export interface ReportContext {
  /** Absolute base of rule pages (a Nyx server: it serves GET /api/v1/analysis/rules/<id>). */
  docsUrl: string;
  /** Returns a file's text for code frames, or undefined. */
  source(path: string): string | undefined;
  color: boolean;
}

export function sarifReport(findings: readonly ReportFinding[], context: ReportContext): string {
  const log = buildSarif({
    findings,
    ruleOf: findRule,
    helpUriOf: (ruleId) => new URL(ruleDocsPath(ruleId), context.docsUrl).toString(),
    toolVersion: ANALYZER_VERSION,
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function jsonReport(findings: readonly ReportFinding[], mode: 'server' | 'offline'): string {
  const counts = { error: 0, warning: 0, info: 0 } satisfies Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return `${JSON.stringify({ version: JSON_REPORT_VERSION, tool: ANALYZER_VERSION, mode, summary: counts, findings }, null, 2)}\n`;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };
/** Lines of context around a finding in its code frame. */
const FRAME_CONTEXT = 1;

/** Grouped by file, each finding with its rule and a code frame (the lines, a caret under the range). */
export function textReport(findings: readonly ReportFinding[], context: ReportContext): string {
  const paint = (color: keyof typeof COLORS, text: string) => (context.color ? `${COLORS[color]}${text}${COLORS.reset}` : text);
  const byFile = new Map<string, ReportFinding[]>();
  for (const finding of findings) byFile.set(finding.path, [...(byFile.get(finding.path) ?? []), finding]);
  const out: string[] = [];
  for (const [path, items] of byFile) {
    out.push(paint('bold', path));
    const lines = context.source(path)?.split(/\r?\n/);
    for (const finding of items) {
      const { startLine, startColumn } = finding.range;
      out.push(`  ${startLine}:${startColumn}  ${paint(finding.severity, finding.severity.padEnd(7))}  ${finding.message}  ${paint('dim', finding.ruleId)}`);
      if (lines) out.push(...codeFrame(lines, finding, paint));
    }
    out.push('');
  }
  const counts = { error: 0, warning: 0, info: 0 } satisfies Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  out.push(findings.length === 0 ? 'No findings.' : `${findings.length} finding${findings.length === 1 ? '' : 's'}: ${counts.error} error, ${counts.warning} warning, ${counts.info} info`);
  return `${out.join('\n')}\n`;
}

function codeFrame(lines: readonly string[], finding: ReportFinding, paint: (color: keyof typeof COLORS, text: string) => string): string[] {
  const { startLine, startColumn, endLine, endColumn } = finding.range;
  const first = Math.max(1, startLine - FRAME_CONTEXT);
  const last = Math.min(lines.length, Math.max(startLine, Math.min(endLine, startLine + 2)) + FRAME_CONTEXT);
  const gutter = String(last).length;
  const frame: string[] = [];
  for (let number = first; number <= last; number++) {
    const marker = number === startLine ? '>' : ' ';
    frame.push(paint('dim', `    ${marker} ${String(number).padStart(gutter)} | `) + (lines[number - 1] ?? '').slice(0, 200));
    if (number === startLine) {
      const width = endLine === startLine ? Math.max(1, endColumn - startColumn) : Math.max(1, (lines[number - 1] ?? '').length - startColumn + 1);
      frame.push(paint('dim', `      ${' '.repeat(gutter)} | `) + ' '.repeat(Math.max(0, startColumn - 1)) + paint(finding.severity, '^'.repeat(Math.min(width, 120))));
    }
  }
  return frame;
}
