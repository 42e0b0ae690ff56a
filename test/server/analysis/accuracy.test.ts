import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CORPUS_LANGUAGES, CORPUS_ROOT, readExpected, runCorpus, score, summarize, type Outcome } from '../../../bench/accuracy-score.ts';

/** Every CWE issue #15 names; each must be asked somewhere in the corpus. */
const ISSUE_CWES = [89, 78, 22, 79, 90, 643, 501, 918, 601, 943, 117, 94, 502, 1333, 611, 327, 328, 330, 614, 1004, 798, 352].map((n) => `CWE-${n}`);
const NOT_CASES = new Set(['README.md', 'expected.csv', 'floor.json']);

function filesOnDisk(): string[] {
  return readdirSync(CORPUS_ROOT, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(CORPUS_ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !NOT_CASES.has(file))
    .sort();
}

describe('accuracy corpus (test/fixtures/accuracy)', () => {
  const cases = readExpected();

  it('expected.csv and the files agree: every file listed once, every listed file exists, one CWE per file', () => {
    const listed = cases.map((c) => c.file);
    assert.deepEqual(listed.filter((file, i) => listed.indexOf(file) !== i), [], 'files listed twice');
    assert.deepEqual(listed.filter((file) => !existsSync(join(CORPUS_ROOT, file))), [], 'listed but missing');
    const onDisk = filesOnDisk();
    assert.deepEqual(onDisk.filter((file) => !listed.includes(file)), [], 'on disk but not in expected.csv');
    for (const c of cases) {
      const [language, folderCwe] = c.file.split('/');
      assert.ok((CORPUS_LANGUAGES as readonly string[]).includes(language), `${c.file}: unknown language folder`);
      assert.equal(folderCwe, c.cwe, `${c.file}: folder and CSV disagree on the CWE`);
    }
  });

  it('covers at least 600 cases, every language, and every CWE the issue names, with vulnerable and safe cases', () => {
    assert.ok(cases.length >= 600, `${cases.length} cases`);
    for (const language of CORPUS_LANGUAGES) assert.ok(cases.filter((c) => c.file.startsWith(`${language}/`)).length >= 100, `${language} has fewer than 100 cases`);
    for (const cwe of ISSUE_CWES) {
      const of = cases.filter((c) => c.cwe === cwe);
      assert.ok(of.some((c) => c.vulnerable) && of.some((c) => !c.vulnerable), `${cwe} needs vulnerable and safe cases`);
    }
  });

  it('most vulnerable cases have a safe twin of the same name (…a / …b) in the same folder', () => {
    const safe = new Set(cases.filter((c) => !c.vulnerable).map((c) => c.file));
    const vulnerable = cases.filter((c) => c.vulnerable);
    const twinned = vulnerable.filter((c) => {
      const match = /^(.*-\d+)([ab])(\.\w+)$/.exec(c.file);
      return match !== null && safe.has(`${match[1]}${match[2] === 'a' ? 'b' : 'a'}${match[3]}`);
    });
    const fraction = twinned.length / vulnerable.length;
    console.log(`      ${twinned.length} of ${vulnerable.length} vulnerable cases have a safe twin (${(fraction * 100).toFixed(0)}%)`);
    assert.ok(fraction >= 0.6, `only ${(fraction * 100).toFixed(0)}% twinned`);
  });

  it('scores TPR, FPR and J per CWE, and averages J over CWEs', () => {
    const o = (file: string, cwe: string, vulnerable: boolean, predicted: boolean): Outcome => ({ file, cwe, vulnerable, predicted, matchedRules: predicted ? ['r'] : [] });
    const outcomes = [
      o('java/CWE-89/a.java', 'CWE-89', true, true),
      o('java/CWE-89/b.java', 'CWE-89', true, false),
      o('java/CWE-89/c.java', 'CWE-89', false, false),
      o('go/CWE-89/d.go', 'CWE-89', false, true),
      o('go/CWE-78/e.go', 'CWE-78', true, true),
      o('go/CWE-78/f.go', 'CWE-78', false, false),
      o('go/CWE-1333/g.go', 'CWE-1333', false, false),
    ];
    assert.deepEqual(score(outcomes.slice(0, 4)), { cases: 4, tp: 1, fn: 1, fp: 1, tn: 1, tpr: 0.5, fpr: 0.5, j: 0 });
    const report = summarize(outcomes);
    assert.deepEqual(
      report.byCwe.map((r) => [r.cwe, r.j]),
      [
        ['CWE-78', 1],
        ['CWE-89', 0],
        ['CWE-1333', null],
      ],
    );
    assert.equal(report.averageJ, 0.5, 'a CWE without vulnerable cases has no J and is left out of the average');
    assert.deepEqual(report.weakest, { cwe: 'CWE-89', j: 0 });
    assert.equal(report.matrix['CWE-89'].java, 0.5 - 0);
    assert.equal(report.matrix['CWE-89'].go, null);
    assert.deepEqual(report.met, { averageJ: false, minCweJ: false });
  });

  it('the built-in analyzers score at or above the floor in floor.json (average J and every CWE)', function () {
    this.timeout(120_000);
    const floor = JSON.parse(readFileSync(join(CORPUS_ROOT, 'floor.json'), 'utf8')) as { averageJ: number; minCweJ: number; perCwe?: Record<string, number> };
    const report = summarize(runCorpus(cases));
    const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
    console.log(`      average J ${pct(report.averageJ)} (floor ${pct(floor.averageJ)}), lowest ${report.weakest.cwe} ${pct(report.weakest.j)} (floor ${pct(floor.minCweJ)})`);
    assert.ok(report.averageJ >= floor.averageJ, `average J ${pct(report.averageJ)} fell below the floor ${pct(floor.averageJ)}`);
    const below = report.byCwe.filter((r) => r.j !== null && r.j < (floor.perCwe?.[r.cwe] ?? floor.minCweJ)).map((r) => `${r.cwe} ${pct(r.j)}`);
    assert.deepEqual(below, [], 'CWEs below their floor');
  });
});
