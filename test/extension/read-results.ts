// Reads the in-host results file for the runner, pointing failure stacks at the TypeScript sources.
// (Inside the extension host VS Code installs its own Error.prepareStackTrace, which bypasses
// Node's source-map support, so the stacks arrive as lines of the bundle.)
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import type { ResultsFile, TestResult } from './results.ts';

/** The tests from `resultsFile`; throws if the suite bundle could not be loaded at all. */
export function readResults(resultsFile: string, suiteBundle: string): TestResult[] {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as ResultsFile;
  const toSource = bundleLocationMapper(suiteBundle);
  if (results.loadError) {
    throw new Error(`the suite bundle failed to load in the extension host:\n${toSource(results.loadError)}`);
  }
  return results.tests.map((test) => (test.error ? { ...test, error: toSource(test.error) } : test));
}

/** Rewrites `…/extension-tests.cjs:line:column` to `test/…/x.ts:line:column` and drops mocha's own frames. */
function bundleLocationMapper(suiteBundle: string): (stack: string) => string {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${suiteBundle}.map`, 'utf8')));
  } catch {
    return (stack) => stack;
  }
  const location = new RegExp(`[^\\s(]*${path.basename(suiteBundle).replace(/\./g, '\\.')}:(\\d+):(\\d+)`);
  const mapDir = path.dirname(suiteBundle);
  const cwd = process.cwd();
  return (stack) =>
    stack
      .split('\n')
      .map((line) =>
        line.replace(location, (whole, line1: string, column1: string) => {
          const entry = map.findEntry(Number(line1) - 1, Number(column1) - 1);
          if (!('originalSource' in entry)) return whole;
          const source = path.relative(cwd, path.resolve(mapDir, entry.originalSource.replace(/^file:\/\//, '')));
          return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
        }),
      )
      .filter((line) => !/node_modules[\\/]mocha[\\/]/.test(line))
      .join('\n');
}
