// The offline path: code-server's real extension host runs the in-host suites, then Playwright
// drives the workbench in Chromium for the UI suites, all in one editor session.
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { codeServerBin, startCodeServer } from './code-server.ts';
import type { CodeServer } from './code-server.ts';
import { recordingReporter } from './recording-reporter.ts';
import { readResults } from './read-results.ts';
import type { TestResult } from './results.ts';
import { useWorkbench, Workbench } from './ui.ts';

export interface SessionOptions {
  repoRoot: string;
  workspace: string;
  workDir: string;
  suiteBundle: string;
  resultsFile: string;
  /** Epoch ms by which everything must be done. */
  deadline: number;
  /** Where screenshots and logs go when something failed. */
  artifactsDir: string;
}

export interface SessionResults {
  inHost: TestResult[];
  ui: TestResult[];
  timings: Record<string, number>;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function runOnCodeServer(options: SessionOptions): Promise<SessionResults> {
  const bin = codeServerBin();
  if (!existsSync(bin)) {
    throw new Error(`code-server not found at ${bin}: run scripts/ci/code-server.sh or set NYX_CODE_SERVER_BIN`);
  }
  const timings: Record<string, number> = {};
  const started = Date.now();
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  let succeeded = false;
  const rendererConsole: string[] = [];
  try {
    server = await beforeDeadline(
      startCodeServer({
        bin,
        repoRoot: options.repoRoot,
        workspace: options.workspace,
        workDir: options.workDir,
        env: { NYX_TEST_RESULTS: options.resultsFile, NYX_TEST_SUITES: options.suiteBundle },
      }),
      options.deadline,
      'code-server to listen',
    );
    timings.serverStartMs = Date.now() - started;

    browser = await chromium.launch({ executablePath: process.env.NYX_CHROMIUM_BIN ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // Clipboard access as a user's browser grants it to the editor's page ("Create Access Token" copies).
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    // The workbench's own console (the renderer): why a save was declined, a notification's
    // error. VS Code's server-side logs do not have these.
    page.on('console', (message) => rendererConsole.push(`${new Date().toISOString()} [${message.type()}] ${message.text()}`));
    workbench = new Workbench(page);
    // The extension host, and with it the suites, starts only once a window opens the workbench.
    await workbench.open(`${server.url}/?folder=${encodeURIComponent(options.workspace)}`, remaining(options.deadline));
    timings.workbenchMs = Date.now() - started;

    await beforeDeadline(waitForResults(options.resultsFile, server), options.deadline, 'the in-host suites to write their results');
    const inHost = readResults(options.resultsFile, options.suiteBundle);
    timings.inHostSuitesMs = Date.now() - started;

    await workbench.waitForExtensionsActivated(remaining(options.deadline));
    const ui = await beforeDeadline(runUiSuites(options.repoRoot, workbench), options.deadline, 'the UI suites');
    timings.uiSuitesMs = Date.now() - started;

    succeeded = [...inHost, ...ui].every((test) => test.state === 'passed');
    return { inHost, ui, timings };
  } finally {
    if (!succeeded) await saveArtifacts(options.artifactsDir, workbench, server, rendererConsole);
    useWorkbench(undefined);
    await browser?.close().catch(() => {});
    await server?.stop();
  }
}

async function waitForResults(resultsFile: string, server: CodeServer): Promise<void> {
  let serverExit: number | null | undefined;
  void server.exited.then((code) => (serverExit = code));
  while (!existsSync(resultsFile)) {
    if (serverExit !== undefined) throw new Error(`code-server exited with ${serverExit} before the suites finished`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Mocha in this process, for test/extension/ui-suite/*.ui.ts, with the session's workbench. */
async function runUiSuites(repoRoot: string, workbench: Workbench): Promise<TestResult[]> {
  const suiteDir = path.join(repoRoot, 'test', 'extension', 'ui-suite');
  const only = process.env.NYX_TEST_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  const files = readdirSync(suiteDir)
    .filter((name) => name.endsWith('.ui.ts') && (!only?.length || only.includes(name.replace(/\.ui\.ts$/, ''))))
    .sort();
  if (only?.length) console.log(`NYX_TEST_ONLY=${only.join(',')}: only these suites ran; this is not a full run`);
  let recorded: TestResult[] = [];
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 30_000,
    forbidOnly: true,
    reporter: recordingReporter((tests) => (recorded = tests)),
    // Every UI suite wants the window as it was when a test failed: test-results/ui-failed-<title>.png.
    rootHooks: { afterEach: screenshotOnFailure(workbench) },
  });
  for (const file of files) mocha.addFile(path.join(suiteDir, file));
  useWorkbench(workbench);
  await mocha.loadFilesAsync();
  await new Promise<number>((resolve) => mocha.run(resolve));
  return recorded;
}

function screenshotOnFailure(workbench: Workbench): Mocha.Func {
  return async function (this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    await workbench.screenshot(`ui-failed-${test.title}`).catch((error: unknown) => console.error(`no screenshot: ${String(error)}`));
  };
}

/** What a person needs to see why it failed: the window, code-server's output, VS Code's logs. */
async function saveArtifacts(dir: string, workbench: Workbench | undefined, server: CodeServer | undefined, rendererConsole: readonly string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'workbench-console.log'), rendererConsole.join('\n'));
  try {
    if (workbench) console.log(`screenshot: ${await workbench.screenshot('workbench', dir)}`);
  } catch (error) {
    console.error(`no screenshot: ${String(error)}`);
  }
  if (!server) return;
  cpSync(server.logFile, path.join(dir, 'code-server.log'));
  const vscodeLogs = path.join(server.userDataDir, 'logs');
  if (existsSync(vscodeLogs)) cpSync(vscodeLogs, path.join(dir, 'vscode-logs'), { recursive: true });
  console.log(`logs: ${dir}`);
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

function beforeDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), remaining(deadline));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
