// Runs the mocha suites inside the extension host, with the real `vscode` API.
// scripts/build.js bundles this with every test/extension/suite/*.test.ts into
// dist/test/extension-tests.cjs, whose `run()` both the offline runner (through the extension's
// activate) and @vscode/test-electron (as extensionTestsPath) call.
import { renameSync, writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import { describeError, recordingReporter } from '../recording-reporter.ts';
import { formatResults } from '../results.ts';
import type { ResultsFile, TestResult } from '../results.ts';

export interface RunOptions {
  /** Where to write the results (ResultsFile JSON). */
  resultsFile?: string;
}

/**
 * `loadSuites` evaluates the bundled suite modules; it runs after mocha's BDD globals
 * (`describe`, `it`, hooks) exist, which is why the build wraps the suites in a function.
 * Rejects when any test failed, as test-electron expects from `run()`.
 */
export async function runSuites(loadSuites: () => Promise<void>, options: RunOptions): Promise<void> {
  let recorded: TestResult[] = [];
  const reporter = recordingReporter((tests) => {
    recorded = tests;
  });
  // forbidOnly: an `it.only` left in a suite would run one test and report the rest as nothing.
  const mocha = new Mocha({ ui: 'bdd', timeout: 20_000, color: false, forbidOnly: true, reporter });
  mocha.suite.emit('pre-require', globalThis, '', mocha);
  try {
    await loadSuites();
  } catch (error) {
    writeResults(options, { tests: [], loadError: describeError(error) });
    throw error;
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  writeResults(options, { tests: recorded });
  // Under test-electron this is the terminal; under code-server, the extension host log.
  console.log(formatResults(recorded).join('\n'));
  if (failures > 0) throw new Error(`${failures} extension test(s) failed`);
}

/** Written to a temporary name and renamed, so the runner never reads half a file. */
function writeResults(options: RunOptions, results: ResultsFile): void {
  if (!options.resultsFile) return;
  const partial = `${options.resultsFile}.partial`;
  writeFileSync(partial, JSON.stringify(results, null, 2));
  renameSync(partial, options.resultsFile);
}
