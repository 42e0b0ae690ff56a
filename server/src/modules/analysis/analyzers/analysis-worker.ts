import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { analyzeFile } from './analyze-file.ts';
import type { AnalysisJob } from './worker-pool.ts';

// Reads and analyzes one batch per message; file contents never cross the thread boundary.
parentPort!.on('message', (jobs: AnalysisJob[]) => {
  parentPort!.postMessage(jobs.map((job) => analyzeFile({ path: job.path, content: readFileSync(job.absolutePath) })));
});
