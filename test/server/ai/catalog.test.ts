import assert from 'node:assert/strict';
import { CatalogEntrySchema, ModelListResponseSchema } from '#protocol/ai.ts';
import { buildCatalog, costUsd } from '#server/modules/ai/engine/catalog.ts';
import { ModelNotFoundError } from '#server/modules/ai/engine/errors.ts';

describe('AI model catalog', () => {
  const catalog = buildCatalog();

  it('holds the required models, each valid against the protocol schema', () => {
    const required = [
      'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-sonnet-4-5',
      'gpt-5', 'gpt-5-mini', 'o3', 'o4-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano',
      'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
    ];
    for (const id of required) assert.ok(catalog.get(id), `${id} missing`);
    for (const entry of catalog.models) CatalogEntrySchema.parse(entry);
  });

  it('has the documented defaults and fast models, cheapest first', () => {
    const response = ModelListResponseSchema.parse(catalog.toResponse());
    assert.deepEqual(response.defaults, { anthropic: 'claude-sonnet-4-6', openai: 'gpt-4.1-mini', google: 'gemini-2.5-flash' });
    assert.ok(response.fastModels.includes('gpt-4.1-mini'));
    const prices = catalog.fastModels().map((m) => m.inputPricePerMTok * 3 + m.outputPricePerMTok);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));
  });

  it('prices a call per million tokens', () => {
    const sonnet = catalog.require('claude-sonnet-4-6');
    assert.equal(costUsd(sonnet, { inputTokens: 1_000_000, outputTokens: 0 }), 3);
    assert.ok(Math.abs(costUsd(sonnet, { inputTokens: 2_000, outputTokens: 1_000 }) - 0.021) < 1e-12);
  });

  it('merges tenant custom models and lets them override a built-in entry', () => {
    const merged = buildCatalog([
      { provider: 'openai-compatible', id: 'qwen2.5-coder:7b', baseUrl: 'http://127.0.0.1:11434/v1' },
      { provider: 'openai', id: 'gpt-4.1', inputPricePerMTok: 1.5, outputPricePerMTok: 6, contextWindow: 1_047_576 },
    ]);
    const local = merged.require('qwen2.5-coder:7b');
    assert.equal(local.custom, true);
    assert.equal(local.displayName, 'qwen2.5-coder:7b');
    assert.equal(local.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(local.inputPricePerMTok, 0);
    assert.equal(merged.defaultFor('openai-compatible')?.id, 'qwen2.5-coder:7b');
    assert.equal(merged.require('gpt-4.1').inputPricePerMTok, 1.5);
    assert.equal(merged.models.filter((m) => m.id === 'gpt-4.1').length, 1);
    assert.equal(catalog.require('gpt-4.1').inputPricePerMTok, 2, 'the built-in catalog is not changed');
  });

  it('rejects an invalid custom model and an unknown id', () => {
    assert.throws(() => buildCatalog([{ provider: 'openai-compatible', id: 'x', baseUrl: 'not a url' }]));
    assert.throws(() => catalog.require('nope'), ModelNotFoundError);
  });
});
