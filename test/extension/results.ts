// The results file the in-host suites write and the runner reads: the one message that crosses
// from the extension host back to test/extension/run.ts.

export interface TestResult {
  /** Suite titles and test title joined by spaces, as mocha prints them. */
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  /** Message and stack of the failure; absent when the test passed. */
  error?: string;
}

export interface ResultsFile {
  tests: TestResult[];
  /** Set when the suite bundle could not even be loaded in the extension host. */
  loadError?: string;
}

export function countFailures(tests: readonly TestResult[]): number {
  return tests.filter((test) => test.state === 'failed').length;
}

/** Mocha-like lines for the terminal: one per test, failures with their error. */
export function formatResults(tests: readonly TestResult[]): string[] {
  return tests.map((test) =>
    test.state === 'passed'
      ? `  ✓ ${test.title} (${test.durationMs} ms)`
      : `  ✗ ${test.title}\n${indent(test.error ?? 'failed', '      ')}`,
  );
}

function indent(text: string, prefix: string): string {
  return text.split('\n').map((line) => prefix + line).join('\n');
}
