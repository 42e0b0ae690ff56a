import assert from 'node:assert/strict';
import { AnthropicAdapter } from '#server/modules/ai/engine/anthropic-adapter.ts';
import { ProviderError } from '#server/modules/ai/engine/errors.ts';
import { OpenAIAdapter } from '#server/modules/ai/engine/openai-adapter.ts';
import type { ChatStreamEvent, ProviderAdapter } from '#server/modules/ai/engine/types.ts';
import { collect, startFakes, type Fakes } from './setup.ts';

const request = {
  model: 'test-model',
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  maxTokens: 100,
};

describe('AI provider adapters against loopback fakes (real SDKs)', function () {
  let fakes: Fakes;
  let anthropic: ProviderAdapter;
  let openai: ProviderAdapter;
  beforeEach(async () => {
    fakes = await startFakes();
    anthropic = new AnthropicAdapter({ apiKey: 'sk-ant-1', baseUrl: fakes.anthropic.url, timeoutMs: 500 });
    openai = new OpenAIAdapter('openai', { apiKey: 'sk-oa-1', baseUrl: fakes.openai.url, timeoutMs: 500 });
  });
  afterEach(() => fakes.close());

  for (const which of ['anthropic', 'openai'] as const) {
    describe(which, () => {
      const adapter = () => (which === 'anthropic' ? anthropic : openai);
      const fake = () => (which === 'anthropic' ? fakes.anthropic : fakes.openai);

      it('streams token deltas in order, then final usage', async () => {
        fake().plan({ text: 'unused', chunks: ['Hel', 'lo', ', ', 'world'], inputTokens: 12, outputTokens: 4 });
        const events = await collect(adapter().stream(request));
        const texts = events.flatMap((e) => (e.type === 'text' ? [e.text] : []));
        assert.deepEqual(texts, ['Hel', 'lo', ', ', 'world']);
        const last = events.at(-1) as Extract<ChatStreamEvent, { type: 'done' }>;
        assert.equal(last.type, 'done');
        assert.deepEqual(last.usage, { inputTokens: 12, outputTokens: 4 });
      });

      it('completes without streaming and sends the system prompt and key', async () => {
        fake().plan({ text: 'Hello there', inputTokens: 7, outputTokens: 2 });
        const result = await adapter().complete(request);
        assert.equal(result.text, 'Hello there');
        assert.deepEqual(result.usage, { inputTokens: 7, outputTokens: 2 });
        const sent = fake().requests[0]!;
        if (which === 'anthropic') {
          assert.equal(sent.path, '/v1/messages');
          assert.equal(sent.body.system, 'You are terse.');
          assert.equal(sent.body.max_tokens, 100);
          assert.match(sent.headers['x-api-key'] ?? sent.headers['authorization'] ?? '', /sk-ant-1/);
        } else {
          assert.equal(sent.path, '/v1/chat/completions');
          assert.deepEqual(sent.body.messages[0], { role: 'system', content: 'You are terse.' });
          assert.equal(sent.body.max_completion_tokens, 100);
          assert.equal(sent.headers['authorization'], 'Bearer sk-oa-1');
        }
      });

      it('maps 429 with Retry-After to a retryable rate_limited error with the delay', async () => {
        fake().plan({ status: 429, retryAfter: 3 });
        const error = await adapter().complete(request).catch((e: unknown) => e);
        assert.ok(error instanceof ProviderError);
        assert.equal(error.kind, 'rate_limited');
        assert.equal(error.providerStatus, 429);
        assert.equal(error.status, 502, 'our own answer to an upstream failure');
        assert.equal(error.retryable, true);
        assert.equal(error.retryAfterMs, 3000);
        assert.equal(fake().requests.length, 1, 'the SDK itself must not retry');
      });

      it('maps 401 to a non-retryable auth error', async () => {
        fake().plan({ status: 401 });
        const error = await adapter().complete(request).catch((e: unknown) => e);
        assert.ok(error instanceof ProviderError);
        assert.equal(error.kind, 'auth_error');
        assert.equal(error.retryable, false);
      });

      it('times out when the provider never answers', async () => {
        fake().plan({ hang: true });
        const started = Date.now();
        const error = await adapter().complete(request).catch((e: unknown) => e);
        assert.ok(error instanceof ProviderError);
        assert.equal(error.kind, 'timeout');
        assert.ok(Date.now() - started < 2_000);
      });

      it('times out when a stream stalls after some tokens', async () => {
        fake().plan({ text: 'one two three four', stallAfterChunks: 2 });
        const seen: string[] = [];
        const error = await (async () => {
          for await (const event of adapter().stream(request)) if (event.type === 'text') seen.push(event.text);
        })().catch((e: unknown) => e);
        assert.deepEqual(seen, ['one ', 'two ']);
        assert.ok(error instanceof ProviderError);
        assert.equal(error.kind, 'timeout');
      });

      it('surfaces an error event inside a stream as a retryable provider error', async () => {
        fake().plan({ text: 'a b c', errorAfterChunks: 1 });
        const error = await collect(adapter().stream(request)).catch((e: unknown) => e);
        assert.ok(error instanceof ProviderError, String(error));
        assert.equal(error.retryable, true);
      });
    });
  }

  it('maps Anthropic 529 to overloaded (retryable)', async () => {
    fakes.anthropic.plan({ status: 529 });
    const error = await anthropic.complete(request).catch((e: unknown) => e);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, 'overloaded');
    assert.equal(error.retryable, true);
  });

  it('asks for stream usage and omits temperature for reasoning models (OpenAI)', async () => {
    fakes.openai.plan({ text: 'x' });
    await collect(openai.stream({ ...request, temperature: 0.2, reasoning: true }));
    const body = fakes.openai.requests[0]!.body;
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal('temperature' in body, false);
  });

  it('uses max_tokens for OpenAI-compatible servers and json_object when asked', async () => {
    const ollama = new OpenAIAdapter('openai-compatible', { apiKey: 'none', baseUrl: fakes.openai.url, timeoutMs: 500 });
    fakes.openai.plan({ json: { ok: true } });
    const result = await ollama.complete({ ...request, json: true });
    assert.deepEqual(JSON.parse(result.text), { ok: true });
    const body = fakes.openai.requests[0]!.body;
    assert.equal(body.max_tokens, 100);
    assert.deepEqual(body.response_format, { type: 'json_object' });
  });

  it('embeds with text-embedding-3-small at 1536 dimensions', async () => {
    const result = await openai.embed(['alpha', 'beta'], 'text-embedding-3-small');
    assert.equal(result.vectors.length, 2);
    assert.equal(result.vectors[0]!.length, 1536);
    assert.notDeepEqual(result.vectors[0], result.vectors[1]);
    const body = fakes.openai.requests[0]!.body;
    assert.equal(body.model, 'text-embedding-3-small');
    assert.equal(body.dimensions, 1536);
  });
});
