import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs that analyzed at least this many files clean up after themselves before `done`. A full
 * collection costs ~70 ms on the embedded server's heap: worth it after thousands of files, not
 * after an on-save run of one.
 */
export const RELEASE_AFTER_FILES = 500;

let collect: (() => void) | null | undefined;

/** V8's full collection, reached without starting node with --expose-gc (a new context gets `gc`). */
function collector(): (() => void) | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * Collects the garbage a large analysis leaves and lets the finalizers it frees run (decision
 * 0025). Every parse leaves native ast-grep node wrappers whose finalizers run only after a
 * collection, on the event loop; after a 10,000-file run the next collection and those finalizers
 * took 150–250 ms, paid by whatever request came next (an on-save analysis seconds later). Done
 * here, the run that made the garbage pays for it, before its `done`.
 */
export async function releaseAnalysisGarbage(): Promise<void> {
  const gc = collector();
  if (!gc) return;
  gc();
  // Finalizers of collected native objects are queued to the event loop: let them drain now.
  await nextTurn();
  await nextTurn();
}
