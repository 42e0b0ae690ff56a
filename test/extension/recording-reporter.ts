// A mocha reporter that records each test as a TestResult and hands the list over when the run
// ends. Used inside the extension host (results go to a file) and by the runner for UI tests.
//
// A run can only pass by running every test it loaded: a skipped test (`it.skip`, `this.skip()`)
// is recorded as a failure, and when fewer tests reported than mocha loaded (a failing hook
// skipped the rest, the host died mid-run) one more failure says how many never ran.
import Mocha from 'mocha';
import type { TestResult } from './results.ts';

export function recordingReporter(onEnd: (tests: TestResult[]) => void): typeof Mocha.reporters.Base {
  const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
  return class RecordingReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const tests: TestResult[] = [];
      let reported = 0;
      runner.on(EVENT_TEST_PASS, (test) => {
        reported += 1;
        tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      });
      // Also fires for a failing hook, so a broken `before` is reported rather than silently
      // skipping the tests under it.
      runner.on(EVENT_TEST_FAIL, (test, error: unknown) => {
        if (test.type === 'test') reported += 1;
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: describeError(error) });
      });
      runner.on(EVENT_TEST_PENDING, (test) => {
        reported += 1;
        tests.push({ title: test.fullTitle(), state: 'failed', durationMs: 0, error: 'skipped: a test that does not run does not pass (remove the skip or the test)' });
      });
      runner.once(EVENT_RUN_END, () => {
        // runner.total: the tests mocha loaded (after any grep), counted before the run.
        if (reported !== runner.total) {
          const error = `${runner.total - reported} of ${runner.total} loaded tests never reported a result (a failing hook skipped them, or the run stopped early)`;
          tests.push({ title: 'every loaded test ran', state: 'failed', durationMs: 0, error });
        }
        onEnd(tests);
      });
    }
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
