import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '#server/modules/analysis/analyzers/analyze-file.ts';
import { AnalysisWorkerPool } from '#server/modules/analysis/analyzers/worker-pool.ts';
import { FIXTURE_LANGUAGES, FIXTURES_ROOT, fixtureFiles } from './fixture-repo.ts';

describe('analysis worker pool', () => {
  it('returns the same findings as a sequential run, in input order', async function () {
    this.timeout(20_000);
    const files = FIXTURE_LANGUAGES.flatMap((language) => fixtureFiles(language).map((file) => ({ ...file, absolutePath: join(FIXTURES_ROOT, language, file.path) })));
    const pool = new AnalysisWorkerPool(2);
    try {
      const pooled = await pool.analyze(files.map(({ path, absolutePath }) => ({ path, absolutePath })));
      assert.deepEqual(pooled, files.map((file) => analyzeFile(file)));
      assert.ok(pooled.flat().length > 50);
    } finally {
      await pool.close();
    }
  });
});
