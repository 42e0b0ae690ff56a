import assert from 'node:assert/strict';
import { analysisCacheKey, analyzeFileCached, InMemoryAnalysisCache } from '#server/modules/analysis/analyzers/cache.ts';

describe('analysis cache', () => {
  it('reuses findings for unchanged content and recomputes after a change', async () => {
    const cache = new InMemoryAnalysisCache();
    const file = { path: 'src/a.js', content: 'eval(input);\n' };
    const first = await analyzeFileCached(cache, file);
    const second = await analyzeFileCached(cache, { ...file });
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.deepEqual(second.findings, first.findings);

    const changed = await analyzeFileCached(cache, { ...file, content: 'const safe = 1;\n' });
    assert.equal(changed.cached, false);
    assert.deepEqual(changed.findings, []);
    assert.equal(cache.size, 2);
  });

  it('keys on path and on bytes, not on how the content was given', () => {
    const text = 'eval(input);\n';
    assert.equal(analysisCacheKey({ path: 'a.js', content: text }), analysisCacheKey({ path: 'a.js', content: Buffer.from(text) }));
    assert.notEqual(analysisCacheKey({ path: 'a.js', content: text }), analysisCacheKey({ path: 'b.js', content: text }));
    assert.match(analysisCacheKey({ path: 'a.js', content: text }), /^[0-9a-f]{64}$/);
  });
});
