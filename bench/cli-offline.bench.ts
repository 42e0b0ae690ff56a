/**
 * `nyx analyze --offline` (the whole CLI process: start, list, read, analyze, write SARIF) against
 * the ESLint CLI on the same tree, in the same run. ESLint gets the three rules closest to ours
 * (no-eval, no-implied-eval, no-new-func) and reads JS/TS only, so both tools also run on a
 * JS/TS-only copy of the tree: that row is the like-for-like ratio.
 * Each command runs NYX_BENCH_RUNS times, alternating, reported with bench/measure.ts: median
 * (min–max), the load average, "met"/"missed" on the median (docs/benchmarks.md, decision 0012).
 * Run: node bench/cli-offline.bench.ts   (NYX_BENCH_FILES=5000 by default)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './analysis-tree.ts';
import { formatSpread, printHeader, RUNS, spreadOf, Table, verdict, type Target } from './measure.ts';

const FILE_COUNT = Number(process.env.NYX_BENCH_FILES ?? 5000);
/** nyx's time as a multiple of ESLint's on the JS/TS files: at most ESLint's. */
const TARGET: Target = { atMost: 1 };
const repo = fileURLToPath(new URL('..', import.meta.url));
const NYX = join(repo, 'cli/bin/nyx.js');
const ESLINT = join(repo, 'node_modules/eslint/bin/eslint.js');
const work = mkdtempSync(join(tmpdir(), 'nyx-cli-bench-'));

/** A flat config in the tree, so ESLint reads nothing of ours; the TS parser comes from this repo. */
function eslintConfig(root: string): void {
  const parser = join(repo, 'node_modules/@typescript-eslint/parser/dist/index.js');
  writeFileSync(
    join(root, 'eslint.config.mjs'),
    `import * as tsParser from ${JSON.stringify(parser)};
export default [
  { files: ['**/*.js'], languageOptions: { sourceType: 'module' } },
  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.{js,ts,tsx}'], rules: { 'no-eval': 'error', 'no-implied-eval': 'error', 'no-new-func': 'error' } },
];
`,
  );
}

function timed(command: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, command, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  // nyx exits 1 with findings, ESLint 1 with problems; 2 is a failure of the tool itself.
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return ms;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

try {
  const full = join(work, 'full');
  const jsTs = join(work, 'js-ts');
  const { paths } = generateTree(full, FILE_COUNT);
  const jsTsPaths = paths.filter((path) => /\.(?:js|ts|tsx)$/.test(path));
  for (const path of jsTsPaths) {
    mkdirSync(dirname(join(jsTs, path)), { recursive: true });
    copyFileSync(join(full, path), join(jsTs, path));
  }
  eslintConfig(full);
  eslintConfig(jsTs);
  printHeader('bench:cli', { NYX_BENCH_FILES: FILE_COUNT });
  console.log(`tree: ${fmt(paths.length)} files (${fmt(jsTsPaths.length)} JS/TS)`);

  const nyxArgs = (root: string) => [NYX, 'analyze', root, '--offline', '--format', 'sarif', '--fail-on', 'none', '--output', join(work, 'out.sarif')];
  const eslintArgs = [ESLINT, '--no-config-lookup', '--config', 'eslint.config.mjs', '--format', 'json', '--output-file', join(work, 'eslint.json'), '.'];
  const times = { nyxFull: [] as number[], nyxJsTs: [] as number[], eslint: [] as number[], ratio: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    const eslint = timed(eslintArgs, jsTs);
    const nyx = timed(nyxArgs(jsTs), jsTs);
    times.eslint.push(eslint);
    times.nyxJsTs.push(nyx);
    times.ratio.push(nyx / eslint);
    times.nyxFull.push(timed(nyxArgs(full), full));
  }
  const eslintMedian = spreadOf(times.eslint).median;
  const ratio = spreadOf(times.ratio);
  const table = new Table(['measurement', 'ms', 'vs ESLint (JS/TS)', 'verdict']);
  table.add(['ESLint CLI, 3 rules, JS/TS files', formatSpread(spreadOf(times.eslint), 0), 'baseline', '']);
  table.add(['nyx analyze --offline, JS/TS files', formatSpread(spreadOf(times.nyxJsTs), 0), `${formatSpread(ratio, 2, 'x')}`, `${verdict(ratio.median, TARGET)} (target <= ${(TARGET as { atMost: number }).atMost}x)`]);
  table.add(['nyx analyze --offline, whole tree (6 languages)', formatSpread(spreadOf(times.nyxFull), 0), `${(spreadOf(times.nyxFull).median / eslintMedian).toFixed(2)}x`, 'not judged (ESLint reads JS/TS only)']);
  table.print();
} finally {
  rmSync(work, { recursive: true, force: true });
}
