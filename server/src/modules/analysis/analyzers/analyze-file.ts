import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Finding, Language } from '#protocol/findings.ts';
import { fingerprintOf, normalizeMatchedText } from './fingerprint.ts';
import { goAnalyzer } from './go-rules.ts';
import { javaAnalyzer } from './java-rules.ts';
import { javascriptAnalyzer } from './js-rules.ts';
import { astGrepLanguage, detectLanguage } from './language.ts';
import { analyzeMetrics, metricKinds, todoComments } from './metrics.ts';
import { NodeIndex, WalkRules, type IndexedKind } from './node-index.ts';
import { pythonAnalyzer } from './python-rules.ts';
import type { RawFinding } from './raw-finding.ts';
import { ruleById } from './rule-catalog.ts';
import { scanSecrets } from './secrets.ts';
import { generatedKind, looksMinified } from './generated-files.ts';
import { securityFindings } from './security-rules.ts';
import { decodeSource, LineIndex } from './source-text.ts';
import { analyzeTaint, dropSuperseded } from '#server/modules/analysis/taint/taint-analyzer.ts';
import { MODELS_HASH } from '#server/modules/analysis/taint/models.ts';

/**
 * Bump whenever a rule, threshold or message changes: cached results keyed on an older version
 * are recomputed.
 */
export const ANALYZER_VERSION = `nyx-analyzers/1.3.1+models.${MODELS_HASH}`;

export const MAX_FILE_LINES = 1000;
/** Larger files (minified bundles, generated code) get the secret scan and file-size rule only. */
export const MAX_PARSED_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Repository-relative, forward slashes. */
  path: string;
  /** Raw bytes (checked for binary and UTF-8) or already-decoded text. */
  content: string | Uint8Array;
}

export interface AnalyzeOptions {
  /**
   * Analyze minified and vendored files like any other (default false: vendored paths get no
   * findings, minified files only the secret scan). See generated-files.ts.
   */
  includeGenerated?: boolean;
}

interface LanguageAnalyzer {
  /** Nodes its rules read from the shared walk, next to the metrics' (see node-index.ts). */
  kinds: IndexedKind[];
  analyze(root: SgNode, text: string, index: NodeIndex): RawFinding[];
}

const ANALYZERS: Readonly<Record<Language, LanguageAnalyzer>> = {
  javascript: javascriptAnalyzer,
  typescript: javascriptAnalyzer,
  tsx: javascriptAnalyzer,
  python: pythonAnalyzer,
  go: goAnalyzer,
  java: javaAnalyzer,
};

const walkRules = new Map<Language, WalkRules>();

function walkRule(language: Language, text: string): Record<string, unknown> {
  let rules = walkRules.get(language);
  if (!rules) walkRules.set(language, (rules = new WalkRules([...metricKinds(language), ...ANALYZERS[language].kinds])));
  return rules.for(text);
}

function astFindings(language: Language, text: string): RawFinding[] {
  const root = parse(astGrepLanguage(language), text).root();
  const index = new NodeIndex(root, walkRule(language, text));
  return [
    ...dropSuperseded([...ANALYZERS[language].analyze(root, text, index), ...securityFindings(language, root, text), ...analyzeTaint(language, root, text)]),
    ...analyzeMetrics(root, index, language, text),
    ...todoComments(root, language, text),
  ];
}

/**
 * All built-in findings for one file, sorted by position then rule id: the same input always
 * yields the same output. Binary files yield nothing; a file that is not valid UTF-8 yields one
 * `nyx/input/not-utf8` info finding so the editor can say why it has no results.
 */
export function analyzeFile(file: SourceFile, options: AnalyzeOptions = {}): Finding[] {
  const skip = options.includeGenerated ? undefined : generatedKind(file.path);
  if (skip === 'vendored') return [];
  const decoded = decodeSource(file.content);
  if (decoded.kind === 'binary') return [];
  if (decoded.kind === 'invalid-utf8') {
    return finalize(file.path, [
      { ruleId: 'nyx/input/not-utf8', message: 'File is not valid UTF-8; it was not analyzed.', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, matchedText: '' },
    ]);
  }
  const { text } = decoded;
  const lines = new LineIndex(text);
  const raw = scanSecrets(text, lines);
  // A key pasted into a bundle is still a leak; the code rules and metrics are noise there.
  if (skip === 'minified' || (!options.includeGenerated && looksMinified(text, file.path))) return finalize(file.path, raw);
  if (lines.lineCount > MAX_FILE_LINES) {
    raw.push({
      ruleId: 'nyx/maintainability/file-size',
      message: `File has ${lines.lineCount} lines (limit ${MAX_FILE_LINES}).`,
      range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      matchedText: '',
    });
  }
  const language = detectLanguage(file.path);
  if (language && text.length <= MAX_PARSED_BYTES) raw.push(...astFindings(language, text));
  return finalize(file.path, raw);
}

function compareRaw(a: RawFinding, b: RawFinding): number {
  return (
    a.range.startLine - b.range.startLine ||
    a.range.startColumn - b.range.startColumn ||
    a.range.endLine - b.range.endLine ||
    a.range.endColumn - b.range.endColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * Two rules can see one weakness on one line; the more specific one is kept so the editor shows
 * one CWE-798 (or CWE-502) finding, not two. A high-entropy session secret is also a "password"
 * assignment; an unsafe deserializer call that untrusted data reaches is also reported by the
 * taint engine (`nyx/injection/deserialization`), whose finding carries the path.
 */
const SUPERSEDED_BY: ReadonlyMap<string, string> = new Map([
  ['nyx/secrets/hardcoded-password', 'nyx/web/hardcoded-session-secret'],
  ['nyx/deserialization/unsafe-config', 'nyx/injection/deserialization'],
]);

function withoutSupersededFindings(raw: RawFinding[]): RawFinding[] {
  const linesByRule = new Map<string, Set<number>>();
  for (const finding of raw) {
    let lines = linesByRule.get(finding.ruleId);
    if (!lines) linesByRule.set(finding.ruleId, (lines = new Set()));
    lines.add(finding.range.startLine);
  }
  return raw.filter((finding) => {
    const winner = SUPERSEDED_BY.get(finding.ruleId);
    return !winner || !linesByRule.get(winner)?.has(finding.range.startLine);
  });
}

function finalize(path: string, raw: RawFinding[]): Finding[] {
  raw = withoutSupersededFindings(raw);
  const occurrences = new Map<string, number>();
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const item of raw.sort(compareRaw)) {
    const { startLine, startColumn, endLine, endColumn } = item.range;
    const dedupeKey = `${item.ruleId}:${startLine}:${startColumn}:${endLine}:${endColumn}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    const normalized = normalizeMatchedText(item.matchedText);
    const occurrenceKey = `${item.ruleId}\0${normalized}`;
    const occurrence = occurrences.get(occurrenceKey) ?? 0;
    occurrences.set(occurrenceKey, occurrence + 1);
    const rule = ruleById.get(item.ruleId);
    if (!rule) throw new Error(`analyzer reported unknown rule ${item.ruleId}`);
    findings.push({
      ruleId: item.ruleId,
      severity: rule.severity,
      message: item.message,
      path,
      range: item.range,
      ...(item.fix ? { fix: item.fix } : {}),
      ...(item.flow ? { flow: item.flow.map((step) => ({ ...step, path })) } : {}),
      fingerprint: fingerprintOf(item.ruleId, path, normalized, occurrence),
    });
  }
  return findings;
}
