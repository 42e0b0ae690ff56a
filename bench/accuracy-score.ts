/**
 * Scores the built-in analyzers on the labelled corpus in test/fixtures/accuracy/: shared by
 * `npm run bench:accuracy` and test/server/analysis/accuracy.test.ts so both judge the same way.
 *
 * A case asks one question, "is there a <CWE> here?". The analyzers answer yes when any finding
 * in the file has a rule whose catalog entry lists that CWE (CWE-95 counts for CWE-94: eval
 * injection is the narrower id of the same question).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '#protocol/findings.ts';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { findRule } from '#server/modules/analysis/rule-docs.ts';

export const CORPUS_ROOT = fileURLToPath(new URL('../test/fixtures/accuracy/', import.meta.url));
export const CORPUS_LANGUAGES = ['javascript', 'typescript', 'python', 'java', 'go'] as const;
/** Issue #15's target: average J over CWEs, and the lowest J any CWE may have. */
export const TARGET = { averageJ: 0.75, minCweJ: 0.5 };

export interface CorpusCase {
  /** Relative to the corpus root, e.g. `java/CWE-89/sqli-001a.java`. */
  file: string;
  cwe: string;
  vulnerable: boolean;
}

export interface Outcome extends CorpusCase {
  predicted: boolean;
  /** Rules whose findings answered yes (empty when the answer is no). */
  matchedRules: string[];
}

export interface Score {
  cases: number;
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  /** null when there is nothing to divide by (no vulnerable, or no safe, cases). */
  tpr: number | null;
  fpr: number | null;
  /** Youden's J = TPR − FPR; null unless both rates exist. */
  j: number | null;
}

export interface Report {
  total: Score;
  byCwe: Array<{ cwe: string } & Score>;
  byLanguage: Array<{ language: string; averageJ: number | null } & Score>;
  /** J per CWE per language, for the matrix view (null where a rate is missing). */
  matrix: Record<string, Record<string, number | null>>;
  /** Mean of the per-CWE J values: the headline number. */
  averageJ: number;
  weakest: { cwe: string; j: number };
  met: { averageJ: boolean; minCweJ: boolean };
}

/** Parses expected.csv, rejecting anything that is not `file,cwe,true|false`. */
export function readExpected(root = CORPUS_ROOT): CorpusCase[] {
  const lines = readFileSync(join(root, 'expected.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  if (lines[0] !== 'file,cwe,vulnerable') throw new Error(`expected.csv: header must be "file,cwe,vulnerable", got "${lines[0]}"`);
  return lines.slice(1).map((line, index) => {
    const [file, cwe, vulnerable, ...rest] = line.split(',');
    if (rest.length || !file || !/^CWE-\d+$/.test(cwe ?? '') || !['true', 'false'].includes(vulnerable ?? '')) {
      throw new Error(`expected.csv line ${index + 2}: "${line}" is not file,CWE-n,true|false`);
    }
    return { file, cwe, vulnerable: vulnerable === 'true' };
  });
}

export const languageOf = (file: string) => file.slice(0, file.indexOf('/'));

/** The CWEs a rule answers for, from the rule catalog. */
export function cwesOfRule(ruleId: string): readonly string[] {
  return findRule(ruleId)?.cwe ?? [];
}

export function answersFor(findings: readonly Finding[], cwe: string): string[] {
  const accepted = cwe === 'CWE-94' ? ['CWE-94', 'CWE-95'] : [cwe];
  return [...new Set(findings.filter((f) => cwesOfRule(f.ruleId).some((c) => accepted.includes(c))).map((f) => f.ruleId))].sort();
}

/** Runs the real per-file analyzer over every case. */
export function runCorpus(cases: readonly CorpusCase[], root = CORPUS_ROOT): Outcome[] {
  return cases.map((c) => {
    const findings = analyzeFile({ path: c.file, content: readFileSync(join(root, c.file)) });
    const matchedRules = answersFor(findings, c.cwe);
    return { ...c, predicted: matchedRules.length > 0, matchedRules };
  });
}

export function score(outcomes: readonly Outcome[]): Score {
  let tp = 0, fn = 0, fp = 0, tn = 0;
  for (const o of outcomes) {
    if (o.vulnerable && o.predicted) tp++;
    else if (o.vulnerable) fn++;
    else if (o.predicted) fp++;
    else tn++;
  }
  const tpr = tp + fn ? tp / (tp + fn) : null;
  const fpr = fp + tn ? fp / (fp + tn) : null;
  return { cases: outcomes.length, tp, fn, fp, tn, tpr, fpr, j: tpr !== null && fpr !== null ? tpr - fpr : null };
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const cweOrder = (a: string, b: string) => Number(a.slice(4)) - Number(b.slice(4));

export function summarize(outcomes: readonly Outcome[]): Report {
  const cwes = [...new Set(outcomes.map((o) => o.cwe))].sort(cweOrder);
  const languages = CORPUS_LANGUAGES.filter((l) => outcomes.some((o) => languageOf(o.file) === l));
  const byCwe = cwes.map((cwe) => ({ cwe, ...score(outcomes.filter((o) => o.cwe === cwe)) }));
  const matrix: Report['matrix'] = {};
  for (const cwe of cwes) {
    matrix[cwe] = {};
    for (const language of languages) {
      const cell = outcomes.filter((o) => o.cwe === cwe && languageOf(o.file) === language);
      matrix[cwe][language] = cell.length ? score(cell).j : null;
    }
  }
  const byLanguage = languages.map((language) => ({
    language,
    ...score(outcomes.filter((o) => languageOf(o.file) === language)),
    averageJ: mean(cwes.map((cwe) => matrix[cwe][language]).filter((j): j is number => j !== null)),
  }));
  const scored = byCwe.filter((row): row is typeof row & { j: number } => row.j !== null);
  const averageJ = mean(scored.map((row) => row.j)) ?? 0;
  const weakest = scored.reduce((low, row) => (row.j < low.j ? { cwe: row.cwe, j: row.j } : low), { cwe: scored[0]?.cwe ?? '-', j: scored[0]?.j ?? 0 });
  return {
    total: score(outcomes),
    byCwe,
    byLanguage,
    matrix,
    averageJ,
    weakest,
    met: { averageJ: averageJ >= TARGET.averageJ, minCweJ: weakest.j >= TARGET.minCweJ },
  };
}
