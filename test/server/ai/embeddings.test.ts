import assert from 'node:assert/strict';
import { EmbeddingService } from '#server/modules/ai/engine/embeddings.ts';
import { ProviderNotConfiguredError } from '#server/modules/ai/engine/errors.ts';
import { EMBEDDER_ID, embedLocally } from '#server/modules/ai/engine/local-embedder.ts';
import { MapCredentials, MemoryRecorder, startFakes, type Fakes } from './setup.ts';

describe('embedding service', function () {
  let fakes: Fakes;
  beforeEach(async () => (fakes = await startFakes()));
  afterEach(() => fakes.close());

  const service = (withOpenAI: boolean, recorder = new MemoryRecorder()) =>
    new EmbeddingService({
      credentials: new MapCredentials(withOpenAI ? { openai: { apiKey: 'k', baseUrl: fakes.openai.url } } : {}),
      recorder,
      maxRetryAfterWaitMs: 1_000,
    });

  it('uses OpenAI text-embedding-3-small when a key is configured, and records the call', async () => {
    const recorder = new MemoryRecorder();
    const result = await service(true, recorder).embed(['a', 'b'], { runId: 'r1' });
    assert.equal(result.embedderId, EMBEDDER_ID.openai);
    assert.equal(result.vectors.length, 2);
    assert.equal(result.vectors[0]!.length, 1536);
    assert.deepEqual(recorder.calls.map((c) => [c.kind, c.model, c.outcome, c.runId]), [
      ['embedding', 'text-embedding-3-small', 'success', 'r1'],
    ]);
  });

  it('uses the local embedder offline, and when asked for it by id', async () => {
    const offline = await service(false).embed(['hello world']);
    assert.equal(offline.embedderId, EMBEDDER_ID.local);
    assert.deepEqual(offline.vectors[0], embedLocally('hello world'));
    const asked = await service(true).embed(['hello world'], { embedder: EMBEDDER_ID.local });
    assert.equal(asked.embedderId, EMBEDDER_ID.local);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('never silently swaps embedders', async () => {
    await assert.rejects(service(false).embed(['x'], { embedder: EMBEDDER_ID.openai }), ProviderNotConfiguredError);
    fakes.openai.plan({ status: 500 });
    await assert.rejects(service(true).embed(['x']), /500/);
  });

  it('retries once after a short Retry-After, leaving chat plans queued', async () => {
    fakes.openai.plan({ status: 429, retryAfter: 0 }, { text: 'for a chat' });
    const result = await service(true).embed(['x']);
    assert.equal(result.embedderId, EMBEDDER_ID.openai);
    assert.equal(fakes.openai.requests.length, 2);
    assert.equal(fakes.openai.pending, 1);
  });
});
