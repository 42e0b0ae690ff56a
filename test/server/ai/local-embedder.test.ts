import assert from 'node:assert/strict';
import { cosineSimilarity, EMBEDDER_ID, embedLocally } from '#server/modules/ai/engine/local-embedder.ts';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('local deterministic embedder', () => {
  it('is deterministic, 1536-dimensional and unit length', () => {
    const a = embedLocally('Refactor the payment service to use the new retry helper');
    const b = embedLocally('Refactor the payment service to use the new retry helper');
    assert.equal(a.length, 1536);
    assert.deepEqual(a, b);
    assert.ok(Math.abs(norm(a) - 1) < 1e-5);
    assert.ok(Math.abs(norm(embedLocally('')) - 1) < 1e-5, 'empty text still has a unit vector');
  });

  it('puts similar texts closer than unrelated ones', () => {
    const query = embedLocally('database connection pool timeout');
    const similar = embedLocally('the connection pool of the database times out');
    const unrelated = embedLocally('bake the cake at 180 degrees for forty minutes');
    assert.ok(cosineSimilarity(query, similar) > cosineSimilarity(query, unrelated) + 0.2);
    assert.ok(cosineSimilarity(query, similar) > 0.4);
  });

  it('is fast enough for bulk memory indexing', () => {
    const text = 'function handleRequest(ctx) { return ctx.body; } '.repeat(40);
    const started = performance.now();
    for (let i = 0; i < 200; i++) embedLocally(`${i} ${text}`);
    const perText = (performance.now() - started) / 200;
    assert.ok(perText < 5, `${perText.toFixed(2)} ms per 2 KB text`);
  });

  it('names itself differently from the OpenAI embedder', () => {
    assert.equal(EMBEDDER_ID.local, 'local-hash-v1');
    assert.equal(EMBEDDER_ID.openai, 'openai:text-embedding-3-small');
  });
});
