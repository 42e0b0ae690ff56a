// The whole test suite (`npm test`): typecheck, dependency rules, build, the server suite on the embedded database,
// the same suite on a real PostgreSQL, and the extension suites inside a real VS Code.
// Prints each stage's outcome and, last, one line "N passed, N failed".
//
// Under CI=true a stage that cannot run (no PostgreSQL URL, no code-server) is a failure; locally
// it is skipped with the command that would enable it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const ci = process.env.CI === 'true';
const cache = process.env.NYX_CACHE ?? path.join(homedir(), '.cache', 'nyx-ci');
const codeServer = process.env.NYX_CODE_SERVER_BIN ?? path.join(cache, 'code-server', 'node_modules', '.bin', 'code-server');
const only = process.argv.slice(2);

const stages = [
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  // The rest of `npm run lint`: dependency rules (.dependency-cruiser.cjs, decision 0008).
  { name: 'dependency rules', command: ['npx', 'depcruise', '--config', '.dependency-cruiser.cjs', 'server', 'protocol', 'extension', 'webviews'] },
  { name: 'build', command: ['node', 'scripts/build.js'] },
  { name: 'server (embedded PGlite)', command: ['npx', 'mocha', '--config', 'test/server/.mocharc.json', 'test/server/**/*.test.ts'], env: { NYX_TEST_DB: 'embedded' }, counts: 'mocha' },
  {
    name: 'server (PostgreSQL)',
    command: ['npx', 'mocha', '--config', 'test/server/.mocharc.json', 'test/server/**/*.test.ts'],
    env: { NYX_TEST_DB: 'postgres' },
    counts: 'mocha',
    needs: () => (process.env.NYX_TEST_DATABASE_URL ? null : 'NYX_TEST_DATABASE_URL is not set (start one with `bash scripts/ci/postgres.sh start`, then export the URL it prints with `bash scripts/ci/postgres.sh url`)'),
  },
  {
    name: 'extension (real VS Code)',
    command: ['node', 'test/extension/run.ts'],
    counts: 'plain',
    needs: () => (process.env.VSCODE_EXECUTABLE_PATH || existsSync(codeServer) ? null : `no VS Code found (install code-server with \`bash scripts/ci/code-server.sh\`, or set VSCODE_EXECUTABLE_PATH)`),
  },
];

function runStage(stage) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(stage.command[0], stage.command.slice(1), { env: { ...process.env, ...stage.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const relay = (stream, sink) =>
      stream.on('data', (chunk) => {
        output += chunk;
        sink.write(chunk);
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Reads the counts a stage printed: mocha's "N passing / N failing", or a plain "N passed, N failed". */
function countsOf(stage, output) {
  if (stage.counts === 'mocha') {
    const passed = Number(/(\d+) passing/.exec(output)?.[1] ?? 0);
    const failed = Number(/(\d+) failing/.exec(output)?.[1] ?? 0);
    return { passed, failed };
  }
  if (stage.counts === 'plain') {
    const match = [...output.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    return match ? { passed: Number(match[1]), failed: Number(match[2]) } : { passed: 0, failed: 0 };
  }
  return null;
}

/**
 * The failed tests a stage printed, a line each with the start of its error: repeated under the
 * summary, because a CI log is often read from its end and a long run pushes them far up.
 */
function failuresOf(stage, colored) {
  const output = colored.replace(/\x1b\[[0-9;]*m/g, '');
  if (stage.counts === 'mocha') {
    const section = output.split(/^\s*\d+ failing\s*$/m)[1] ?? '';
    return section
      .split(/^\s{2}\d+\) /m)
      .slice(1)
      .map((block) => block.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, 4).join(' / '));
  }
  if (stage.counts === 'plain') {
    const lines = output.split('\n');
    return lines.flatMap((line, index) => (line.startsWith('  ✗ ') ? [`${line.slice(4)} / ${(lines[index + 1] ?? '').trim()}`] : []));
  }
  return [];
}

const summary = [];
const failures = [];
let passed = 0;
let failed = 0;
for (const stage of stages) {
  if (only.length && !only.some((word) => stage.name.includes(word))) continue;
  const missing = stage.needs?.();
  if (missing) {
    summary.push(`${ci ? 'FAILED ' : 'skipped'}  ${stage.name}: ${missing}`);
    if (ci) failed += 1;
    continue;
  }
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const { code, output } = await runStage(stage);
  const counts = countsOf(stage, output);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
  }
  // A stage that exits non-zero without failing tests (a crash, a type error) still counts as a failure.
  if (code !== 0 && (!counts || counts.failed === 0)) failed += 1;
  failures.push(...failuresOf(stage, output).map((line) => `${stage.name}: ${line}`));
  summary.push(`${code === 0 ? 'ok     ' : 'FAILED '}  ${stage.name} (${seconds}s)${counts ? `: ${counts.passed} passed, ${counts.failed} failed` : ''}`);
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
if (failures.length) {
  console.log('\nfailed:');
  for (const line of failures.slice(0, 12)) console.log(`  ✗ ${line.slice(0, 400)}`);
  if (failures.length > 12) console.log(`  … and ${failures.length - 12} more above`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
