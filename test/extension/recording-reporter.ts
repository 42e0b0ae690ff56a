// A mocha reporter that records each test as a TestResult and hands the list over when the run
// ends. Used inside the extension host (results go to a file) and by the runner for UI tests.
import Mocha from 'mocha';
import type { TestResult } from './results.ts';

export function recordingReporter(onEnd: (tests: TestResult[]) => void): typeof Mocha.reporters.Base {
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Mocha.Runner.constants;
  return class RecordingReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const tests: TestResult[] = [];
      runner.on(EVENT_TEST_PASS, (test) => {
        tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      // Also fires for a failing hook, so a broken `before` is reported rather than silently
      // skipping the tests under it.
      runner.on(EVENT_TEST_FAIL, (test, error: unknown) => {
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) });
      });
      runner.once(EVENT_RUN_END, () => onEnd(tests));
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
