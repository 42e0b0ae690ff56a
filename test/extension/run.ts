// Runs the extension tests inside a real VS Code: `npm run build && npm run test:extension`.
//
// - Offline (default): code-server from scripts/ci/code-server.sh + Chromium through Playwright;
//   in-host suites, then UI suites in the same session. See docs/testing-extension.md.
// - VS Code desktop through @vscode/test-electron when VSCODE_EXECUTABLE_PATH is set, or when
//   NYX_TEST_EDITOR=electron (which downloads VS Code): in-host suites only, said loudly, and a
//   failure under CI=true.
//
// Prints each test, then a last line `N passed, N failed`; exits non-zero on any failure (a
// skipped test, or a test mocha loaded that never reported, counts as one) or when
// the whole run exceeds NYX_EXTENSION_TEST_TIMEOUT_MS (default 5 minutes).
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLiveServer } from './live-server.ts';
import { startTestIdp } from './sso-idp.ts';
import type { LiveServer } from './live-server.ts';
import { describeError } from './recording-reporter.ts';
import { countFailures, formatResults } from './results.ts';
import type { TestResult } from './results.ts';
import { runOnCodeServer } from './run-on-code-server.ts';
import { runOnTestElectron } from './run-on-test-electron.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.env.NYX_BUILD_DIR ? path.resolve(process.env.NYX_BUILD_DIR) : path.join(repoRoot, 'dist');
const suiteBundle = path.join(distDir, 'test', 'extension-tests.cjs');
const timeoutMs = Number(process.env.NYX_EXTENSION_TEST_TIMEOUT_MS ?? 900_000);
const editor = process.env.NYX_TEST_EDITOR ?? (process.env.VSCODE_EXECUTABLE_PATH ? 'electron' : 'code-server');

async function main(): Promise<number> {
  for (const built of [path.join(distDir, 'extension.cjs'), suiteBundle]) {
    if (!existsSync(built)) throw new Error(`${path.relative(repoRoot, built)} is missing: run \`npm run build\` first`);
  }
  const started = Date.now();
  const deadline = started + timeoutMs;
  // If cleanup itself hangs, still end: CI must never wait forever on an editor.
  setTimeout(() => {
    console.error(`extension tests: still running ${timeoutMs / 1000 + 30} s after start; giving up`);
    process.exit(1);
  }, timeoutMs + 30_000).unref();

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'nyx-extension-test-'));
  // Tests may edit the workspace; they get a copy, the fixture in git stays clean.
  const workspace = path.join(workDir, 'fixture-workspace');
  cpSync(path.join(repoRoot, 'test', 'extension', 'fixture-workspace'), workspace, { recursive: true });
  const common = { repoRoot, workspace, workDir, suiteBundle, resultsFile: path.join(workDir, 'results.json') };

  const sections: Array<[string, TestResult[]]> = [];
  let server: LiveServer | undefined;
  let idp: { close(): Promise<void> } | undefined;
  try {
    server = await startLiveServer(repoRoot, workDir);
    console.log(`nyx-server (embedded database) at ${server.url}`);
    idp = await startTestIdp(server);
    pointEditorAt(server, workDir);
    if (editor === 'electron') {
      console.log('VS Code desktop (@vscode/test-electron)');
      sections.push(['In the extension host', await runOnTestElectron(common)]);
      sections.push(['In the workbench (UI)', uiSuitesNotRun()]);
    } else if (editor === 'code-server') {
      console.log('VS Code on code-server + Chromium');
      const artifactsDir = path.join(repoRoot, 'test-results', `extension-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      const session = await runOnCodeServer({ ...common, deadline, artifactsDir });
      sections.push(['In the extension host', session.inHost], ['In the workbench (UI)', session.ui]);
      console.log(`timings: ${Object.entries(session.timings).map(([step, ms]) => `${step}=${ms}`).join(' ')}`);
    } else {
      throw new Error(`NYX_TEST_EDITOR must be code-server or electron, not ${editor}`);
    }
  } catch (error) {
    // The harness itself failed (no editor, timeout, bundle not loadable): count it as a failure.
    sections.push(['Harness', [{ title: 'extension test harness', state: 'failed', durationMs: Date.now() - started, error: describeError(error) }]]);
  } finally {
    await idp?.close();
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }

  for (const [heading, tests] of sections) {
    console.log(`\n${heading}`);
    console.log(formatResults(tests).join('\n'));
  }
  const all = sections.flatMap(([, tests]) => tests);
  const failed = countFailures(all);
  console.log(`\n(${Math.round((Date.now() - started) / 1000)} s)`);
  const notRun = editor === 'electron' ? ' (UI suites NOT run: they need code-server)' : '';
  console.log(`${all.length - failed} passed, ${failed} failed${notRun}`);
  return failed === 0 && all.length > 0 ? 0 : 1;
}

/**
 * The Playwright UI suites drive the web workbench, which VS Code desktop does not have. Saying so
 * loudly: under CI=true their absence is a failure (CI must run everything); locally, a banner
 * and the last line say they did not run, so "0 failed" is never read as "all of it passed".
 */
function uiSuitesNotRun(): TestResult[] {
  const why = 'the UI suites (test/extension/ui-suite) run only on code-server; VS Code desktop was used (VSCODE_EXECUTABLE_PATH or NYX_TEST_EDITOR=electron)';
  console.error(`\n!!! ${why}: they did NOT run !!!\n`);
  return process.env.CI === 'true' ? [{ title: 'UI suites ran', state: 'failed', durationMs: 0, error: `${why}; unset VSCODE_EXECUTABLE_PATH in CI` }] : [];
}

/**
 * The extension finds the server through its settings, as a user's would: nyx.serverUrl and the
 * server's credentials file (auto-connect). Both editors use <workDir>/user-data, and code-server.ts
 * adds its quiet settings to this file. UI suites, in this process, read the environment.
 */
function pointEditorAt(server: LiveServer, workDir: string): void {
  const settings = JSON.stringify({ 'nyx.serverUrl': server.url, 'nyx.credentialsFile': server.credentialsFile }, null, 2);
  // code-server is a remote window: machine-scoped settings come from Machine/, the rest from User/.
  for (const scope of ['User', 'Machine']) {
    mkdirSync(path.join(workDir, 'user-data', scope), { recursive: true });
    writeFileSync(path.join(workDir, 'user-data', scope, 'settings.json'), settings);
  }
  process.env.NYX_TEST_SERVER_URL = server.url;
  process.env.NYX_TEST_CREDENTIALS_FILE = server.credentialsFile;
}

const exitCode = await main().catch((error: unknown) => {
  console.error(describeError(error));
  return 1;
});
process.exit(exitCode);
