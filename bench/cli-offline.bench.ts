/**
 * `nyx analyze --offline` (the whole CLI process: start, list, read, analyze, write SARIF) against
 * the ESLint CLI on the same tree, in the same run. ESLint gets the three rules closest to ours
 * (no-eval, no-implied-eval, no-new-func) and reads JS/TS only, so both tools also run on a
 * JS/TS-only copy of the tree: that row is the like-for-like ratio.
 * Each command runs RUNS times, alternating, and the median counts (a shared machine's slow phase
 * then slows both instead of one).
 * Run: node bench/cli-offline.bench.ts   (NYX_BENCH_FILES=5000 NYX_BENCH_RUNS=5 by default)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './analysis-tree.ts';

const FILE_COUNT = Number(process.env.NYX_BENCH_FILES ?? 5000);
const RUNS = Number(process.env.NYX_BENCH_RUNS ?? 5);
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
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
  console.log(`tree: ${fmt(paths.length)} files (${fmt(jsTsPaths.length)} JS/TS); ${RUNS} runs each, median`);

  const nyxArgs = (root: string) => [NYX, 'analyze', root, '--offline', '--format', 'sarif', '--fail-on', 'none', '--output', join(work, 'out.sarif')];
  const eslintArgs = [ESLINT, '--no-config-lookup', '--config', 'eslint.config.mjs', '--format', 'json', '--output-file', join(work, 'eslint.json'), '.'];
  const times = { nyxFull: [] as number[], nyxJsTs: [] as number[], eslint: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    times.eslint.push(timed(eslintArgs, jsTs));
    times.nyxJsTs.push(timed(nyxArgs(jsTs), jsTs));
    times.nyxFull.push(timed(nyxArgs(full), full));
  }
  const eslint = median(times.eslint);
  const rows: Array<[string, string, string]> = [
    ['ESLint CLI, 3 rules, JS/TS files', `${fmt(eslint)} ms`, 'baseline'],
    ['nyx analyze --offline, JS/TS files', `${fmt(median(times.nyxJsTs))} ms`, `${fmt(median(times.nyxJsTs) / eslint, 2)}x ESLint time`],
    ['nyx analyze --offline, whole tree (6 languages)', `${fmt(median(times.nyxFull))} ms`, `${fmt(median(times.nyxFull) / eslint, 2)}x ESLint time`],
  ];
  console.log('| measurement | median | ratio |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
