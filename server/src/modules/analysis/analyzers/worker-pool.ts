import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Finding } from '#protocol/findings.ts';

export interface AnalysisJob {
  /** Repository-relative path reported in findings. */
  path: string;
  /** Where a worker reads the file. */
  absolutePath: string;
}

const BATCH_SIZE = 64;

/**
 * Analyzes many files on worker threads (parsing is CPU-bound and synchronous). Results come back
 * in the order of `jobs`, so output is the same as a sequential run.
 */
export class AnalysisWorkerPool {
  readonly #workers: Worker[];

  constructor(size = availableParallelism()) {
    this.#workers = Array.from({ length: Math.max(1, size) }, () => new Worker(new URL('./analysis-worker.ts', import.meta.url)));
  }

  async analyze(jobs: readonly AnalysisJob[]): Promise<Finding[][]> {
    const results = new Array<Finding[]>(jobs.length);
    let nextBatch = 0;
    const runWorker = async (worker: Worker) => {
      while (nextBatch < jobs.length) {
        const start = nextBatch;
        nextBatch += BATCH_SIZE;
        const batch = jobs.slice(start, start + BATCH_SIZE);
        const findings = await new Promise<Finding[][]>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          worker.once('error', onError);
          worker.once('message', (message: Finding[][]) => {
            worker.off('error', onError);
            resolve(message);
          });
          worker.postMessage(batch);
        });
        findings.forEach((fileFindings, i) => (results[start + i] = fileFindings));
      }
    };
    await Promise.all(this.#workers.map(runWorker));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
