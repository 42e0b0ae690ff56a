/**
 * Accuracy of the built-in analyzers on the labelled corpus (test/fixtures/accuracy/): per CWE
 * and per language, TPR, FPR and Youden's J, and the average J over CWEs against issue #15's
 * target (average >= 75 %, no CWE under 50 %).
 * Run: npm run bench:accuracy [-- --json] [-- --list-misses]
 */
import { readExpected, runCorpus, summarize, TARGET, type Outcome, type Report } from './accuracy-score.ts';

const args = new Set(process.argv.slice(2));
const started = performance.now();
const outcomes = runCorpus(readExpected());
const seconds = (performance.now() - started) / 1000;
const report = summarize(outcomes);

const misses = (kind: 'FN' | 'FP') =>
  outcomes.filter((o) => (kind === 'FN' ? o.vulnerable && !o.predicted : !o.vulnerable && o.predicted)).map((o: Outcome) => ({ file: o.file, cwe: o.cwe, rules: o.matchedRules }));

if (args.has('--json')) {
  const json: Report & { seconds: number; target: typeof TARGET; misses?: unknown } = { ...report, seconds, target: TARGET };
  if (args.has('--list-misses')) json.misses = { falseNegatives: misses('FN'), falsePositives: misses('FP') };
  console.log(JSON.stringify(json, null, 2));
} else {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const table = (head: string[], rows: string[][]) => {
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    console.log([line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
  };
  console.log(`${outcomes.length} cases (${report.total.tp + report.total.fn} vulnerable, ${report.total.fp + report.total.tn} safe) analyzed in ${seconds.toFixed(1)} s\n`);
  table(
    ['CWE', 'cases', 'TP', 'FN', 'FP', 'TN', 'TPR', 'FPR', 'J'],
    report.byCwe.map((r) => [r.cwe, String(r.cases), String(r.tp), String(r.fn), String(r.fp), String(r.tn), pct(r.tpr), pct(r.fpr), pct(r.j)]),
  );
  console.log('');
  table(
    ['language', 'cases', 'TP', 'FN', 'FP', 'TN', 'TPR', 'FPR', 'J', 'avg J over CWEs'],
    report.byLanguage.map((r) => [r.language, String(r.cases), String(r.tp), String(r.fn), String(r.fp), String(r.tn), pct(r.tpr), pct(r.fpr), pct(r.j), pct(r.averageJ)]),
  );
  console.log('');
  const languages = report.byLanguage.map((r) => r.language);
  table(['J by CWE x language', ...languages], Object.entries(report.matrix).map(([cwe, row]) => [cwe, ...languages.map((l) => pct(row[l] ?? null))]));
  console.log('');
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  console.log(`average J over ${report.byCwe.length} CWEs: ${pct(report.averageJ)} (target >= ${pct(TARGET.averageJ)}): ${verdict(report.met.averageJ)}`);
  console.log(`lowest CWE: ${report.weakest.cwe} at ${pct(report.weakest.j)} (target: none under ${pct(TARGET.minCweJ)}): ${verdict(report.met.minCweJ)}`);
  if (args.has('--list-misses')) {
    for (const kind of ['FN', 'FP'] as const) {
      const list = misses(kind);
      console.log(`\n${kind === 'FN' ? 'false negatives (vulnerable, not reported)' : 'false positives (safe, reported)'}: ${list.length}`);
      for (const m of list) console.log(`  ${m.file}  ${m.cwe}${m.rules.length ? `  by ${m.rules.join(', ')}` : ''}`);
    }
  }
}
