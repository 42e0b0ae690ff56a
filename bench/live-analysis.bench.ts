/**
 * `npm run bench:live`: how long after saving a newly vulnerable file its diagnostic appears, on the
 * embedded database, through the extension's own live-analysis code (IncrementalAnalysis of
 * extension/analysis/incremental-analysis.ts: one snapshot request on the window's last snapshot
 * with the changed file inline, start the analysis, follow the run's event stream to `done`), then the findings
 * reload the extension does next (GET findings of the project), until the new finding is in it.
 * What is not measured: VS Code's own debounce (250 ms after a save) and rendering the squiggle.
 *
 * Baseline, in the same run and tenant: a whole-folder analysis of the same tree as "Analyze
 * Workspace" sends it (every blob new). Each run saves a different file, so each is a new blob and a
 * new finding. Target: the median save-to-diagnostic time <= 2 s (issue #16).
 * Run: npm run bench:live   Knobs: NYX_BENCH_RUNS=5  NYX_BENCH_FILES=2000
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NyxClient } from '../extension/api/client.ts';
import { IncrementalAnalysis } from '../extension/analysis/incremental-analysis.ts';
import { createTestTenant, startTestNyx, type TestNyx } from '../test/server/helpers/nyx.ts';
import { generateTree } from './analysis-tree.ts';
import { describeTarget, formatSpread, printHeader, repeat, RUNS, spreadOf, Table, verdict, type Target } from './measure.ts';

const FILE_COUNT = Number(process.env.NYX_BENCH_FILES ?? 2_000);
const TARGET_MS: Target = { atMost: 2_000 };
const EVAL_RULE = 'nyx/dangerous/dynamic-eval';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const table = new Table(['measure', 'time: median (min–max)', 'what it did', 'ratio: median (min–max)', 'target', 'verdict']);

const root = mkdtempSync(join(tmpdir(), 'nyx-live-bench-'));
printHeader('bench:live', { NYX_BENCH_FILES: FILE_COUNT });
let nyx: TestNyx | undefined;
try {
  const { paths } = generateTree(root, FILE_COUNT);
  const files = paths.map((path) => ({ path, content: readFileSync(join(root, path)) }));
  const jsFiles = files.filter((file) => file.path.endsWith('.js'));
  console.log(`tree: ${files.length} files in ${root}\n`);
  nyx = await startTestNyx({ databaseUrl: null, logLevel: 'silent' });
  const server = nyx;

  const runs = await repeat(async (run) => {
    const who = await createTestTenant(server, `live-bench-${run}`);
    const client = new NyxClient(server.url, who.token);
    const project = await client.createProject({ name: 'live bench' });

    // Baseline: the whole folder, every blob new (what the first "Analyze Workspace" does).
    const fullStarted = performance.now();
    const full = await new IncrementalAnalysis(client, project.id, []).analyze(files);
    const fullMs = performance.now() - fullStarted;
    if (full.done.status !== 'succeeded') throw new Error(`full analysis ${full.done.status}: ${full.done.error ?? ''}`);

    // The window now knows this manifest and its snapshot; the user adds an eval to one file and saves it.
    const live = new IncrementalAnalysis(client, project.id, files.map((file) => ({ path: file.path, sha256: sha256(file.content), size: file.content.byteLength })), full.snapshot.id);
    const target = jsFiles[(run + 1 + jsFiles.length) % jsFiles.length]!;
    const saved = Buffer.concat([target.content, Buffer.from(`\nexport function injected${run + 10}(input) {\n  return eval(input);\n}\n`)]);
    const savedAt = performance.now();
    const outcome = await live.analyze([{ path: target.path, content: saved }]);
    let diagnosticAt: number | undefined;
    for (let attempt = 0; attempt < 50 && diagnosticAt === undefined; attempt++) {
      const { items } = await client.listFindings(project.id, { path: target.path, status: 'open', limit: 1000 });
      if (items.some((finding) => finding.ruleId === EVAL_RULE)) diagnosticAt = performance.now();
    }
    if (diagnosticAt === undefined) throw new Error(`no ${EVAL_RULE} finding on ${target.path} after the live analysis`);
    if (outcome.uploaded !== 1 || outcome.result?.analyzed !== 1) throw new Error(`live analysis uploaded ${outcome.uploaded} and analyzed ${outcome.result?.analyzed} files, expected the saved one`);
    return { fullMs, liveMs: diagnosticAt - savedAt, findings: full.result?.findings ?? 0 };
  }, RUNS, 1);

  const live = spreadOf(runs.map((r) => r.liveMs));
  const ratio = spreadOf(runs.map((r) => r.fullMs / r.liveMs));
  table.add([`baseline: whole-folder analysis, ${files.length} files, every blob new`, formatSpread(spreadOf(runs.map((r) => r.fullMs / 1000)), 2, ' s'), `${runs[0]!.findings} findings`, 'baseline', '', '']);
  table.add([
    'live: save of a newly vulnerable file -> its finding listed', formatSpread(live, 0, ' ms'), '1 file sent with its content, 1 file analyzed',
    `${formatSpread(ratio, 1)}x faster than the baseline`, describeTarget(TARGET_MS, ' ms'), verdict(live.median, TARGET_MS),
  ]);
} finally {
  await nyx?.close();
  rmSync(root, { recursive: true, force: true });
}
console.log('');
table.print();
process.exit(0);
