import assert from 'node:assert/strict';
import { buildCatalog } from '#server/modules/ai/engine/catalog.ts';
import {
  AllProvidersFailedError,
  InvalidProviderKeyError,
  ModelNotFoundError,
  ProviderError,
  ProviderNotConfiguredError,
} from '#server/modules/ai/engine/errors.ts';
import { AiRouter } from '#server/modules/ai/engine/router.ts';
import { collect, MapCredentials, MemoryRecorder, startFakes, type Fakes } from './setup.ts';

const ask = { messages: [{ role: 'user' as const, content: 'Hello?' }] };

describe('AI router: selection, fallback, Retry-After, recording', function () {
  let fakes: Fakes;
  beforeEach(async () => (fakes = await startFakes()));
  afterEach(() => fakes.close());

  describe('model selection', () => {
    it('prefers explicit > persona default > tenant default > catalog default', async () => {
      const router = fakes.router();
      fakes.openai.setDefault({ text: 'from openai' });
      fakes.anthropic.setDefault({ text: 'from anthropic' });
      assert.equal((await router.chat(ask)).model, 'claude-sonnet-4-6');
      assert.equal((await router.chat({ ...ask, tenantDefault: 'gpt-4.1' })).model, 'gpt-4.1');
      assert.equal((await router.chat({ ...ask, tenantDefault: 'gpt-4.1', personaDefault: 'o3' })).model, 'o3');
      const explicit = await router.chat({ ...ask, tenantDefault: 'gpt-4.1', personaDefault: 'o3', explicit: 'gpt-4.1-nano' });
      assert.equal(explicit.model, 'gpt-4.1-nano');
      assert.deepEqual(
        fakes.openai.requests.map((r) => r.body.model),
        ['gpt-4.1', 'o3', 'gpt-4.1-nano'],
      );
    });

    it('uses the first configured provider when no model is named', async () => {
      const router = fakes.router({ credentials: new MapCredentials({ openai: { apiKey: 'k', baseUrl: fakes.openai.url } }) });
      const answer = await router.chat(ask);
      assert.equal(answer.provider, 'openai');
      assert.equal(answer.model, 'gpt-4.1-mini');
    });

    it('routes a custom openai-compatible model (Ollama) to its own base URL without a key', async () => {
      const router = fakes.router({
        catalog: buildCatalog([{ provider: 'openai-compatible', id: 'llama3.2', baseUrl: fakes.openai.url }]),
        credentials: new MapCredentials({}),
      });
      fakes.openai.plan({ text: 'local answer' });
      const answer = await router.chat({ ...ask, explicit: 'llama3.2' });
      assert.equal(answer.text, 'local answer');
      assert.equal(answer.costUsd, 0);
      assert.equal(fakes.openai.requests[0]!.body.model, 'llama3.2');
    });

    it('explains how to add a provider when none is configured', async () => {
      const router = fakes.router({ credentials: new MapCredentials({}) });
      await assert.rejects(router.chat(ask), (error: unknown) => {
        assert.ok(error instanceof ProviderNotConfiguredError);
        assert.match(error.message, /PUT \/api\/v1\/providers\/anthropic/);
        assert.match(error.message, /Configure AI Provider/);
        return true;
      });
    });

    it('rejects a model that is not in the catalog, listing known ones', async () => {
      await assert.rejects(fakes.router().chat({ ...ask, explicit: 'gpt-9' }), (error: unknown) => {
        assert.ok(error instanceof ModelNotFoundError);
        assert.match(error.message, /"gpt-9".*claude-sonnet-4-6/s);
        return true;
      });
      assert.equal(fakes.recorder.calls.length, 0);
    });
  });

  it('waits out a short Retry-After on 429 and retries the same provider once', async () => {
    fakes.anthropic.plan({ status: 429, retryAfter: 1 }, { text: 'after the wait' });
    const started = Date.now();
    const answer = await fakes.router().chat(ask);
    assert.equal(answer.text, 'after the wait');
    assert.equal(answer.provider, 'anthropic');
    assert.ok(Date.now() - started >= 950, 'waited for Retry-After');
    assert.deepEqual(
      fakes.recorder.calls.map((c) => [c.provider, c.outcome, c.attempt]),
      [['anthropic', 'rate_limited', 1], ['anthropic', 'success', 2]],
    );
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('falls back at once when Retry-After is longer than it will wait', async () => {
    fakes.anthropic.plan({ status: 429, retryAfter: 120 });
    const answer = await fakes.router().chat(ask);
    assert.equal(answer.provider, 'openai');
    assert.equal(fakes.anthropic.requests.length, 1);
  });

  it('falls back to the other provider on 500 and records fallbackFrom', async () => {
    fakes.anthropic.plan({ status: 500 });
    fakes.openai.plan({ text: 'openai saves the day' });
    const answer = await fakes.router().chat(ask);
    assert.equal(answer.text, 'openai saves the day');
    assert.equal(answer.fallbackFrom, 'anthropic');
    assert.equal(answer.model, 'gpt-4.1-mini');
    assert.deepEqual(
      fakes.recorder.calls.map((c) => [c.provider, c.outcome, c.fallbackFrom]),
      [['anthropic', 'server_error', null], ['openai', 'success', 'anthropic']],
    );
  });

  it('falls back on a timeout', async () => {
    fakes.anthropic.plan({ hang: true });
    const answer = await fakes.router({ timeoutMs: 300 }).chat(ask);
    assert.equal(answer.provider, 'openai');
    assert.equal(fakes.recorder.calls[0]!.outcome, 'timeout');
    assert.ok(fakes.recorder.calls[0]!.latencyMs >= 250);
  });

  it('falls back on 529 overloaded while streaming, before any token', async () => {
    fakes.anthropic.plan({ status: 529 });
    fakes.openai.plan({ text: 'streamed by openai' });
    const events = await collect(fakes.router().stream(ask));
    const text = events.flatMap((e) => (e.type === 'text' ? [e.text] : [])).join('');
    assert.equal(text, 'streamed by openai');
    const done = events.at(-1)!;
    assert.ok(done.type === 'done' && done.fallbackFrom === 'anthropic' && done.provider === 'openai');
    assert.deepEqual(fakes.recorder.calls.map((c) => [c.kind, c.outcome]), [['stream', 'overloaded'], ['stream', 'success']]);
  });

  it('does not fall back once a stream has yielded text', async () => {
    fakes.anthropic.plan({ text: 'partial answer here', errorAfterChunks: 1 });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of fakes.router().stream(ask)) if (event.type === 'text') seen.push(event.text);
    })().catch((e: unknown) => e);
    assert.deepEqual(seen, ['partial ']);
    assert.ok(error instanceof ProviderError);
    assert.equal(fakes.openai.requests.length, 0);
    assert.equal(fakes.recorder.calls.length, 1);
  });

  it('lists every provider failure when all are down', async () => {
    fakes.anthropic.plan({ status: 503 });
    fakes.openai.plan({ status: 500, message: 'openai is on fire' });
    await assert.rejects(fakes.router().chat(ask), (error: unknown) => {
      assert.ok(error instanceof AllProvidersFailedError);
      assert.deepEqual(error.failures.map((f) => f.provider), ['anthropic', 'openai']);
      assert.match(error.message, /anthropic \(overloaded 503\).*openai \(server_error 500\).*openai is on fire/s);
      return true;
    });
    assert.equal(fakes.recorder.calls.length, 2);
  });

  it('stops with a clear error on an invalid key, without falling back', async () => {
    fakes.anthropic.plan({ status: 401 });
    await assert.rejects(fakes.router().chat(ask), (error: unknown) => {
      assert.ok(error instanceof InvalidProviderKeyError);
      assert.match(error.message, /anthropic API key is invalid.*PUT \/api\/v1\/providers\/anthropic.*"Nyx: Configure AI Provider"/);
      return true;
    });
    assert.equal(fakes.openai.requests.length, 0);
    assert.deepEqual(fakes.recorder.calls.map((c) => c.outcome), ['auth_error']);
  });

  it('records every call exactly once with tokens, cost and ids', async () => {
    const recorder = new MemoryRecorder();
    const router = new AiRouter({
      catalog: buildCatalog(),
      credentials: new MapCredentials({ openai: { apiKey: 'k', baseUrl: fakes.openai.url } }),
      recorder,
    });
    fakes.openai.plan({ text: 'one', inputTokens: 1_000_000, outputTokens: 1_000_000 }, { text: 'two' });
    await router.chat({ ...ask, explicit: 'gpt-4.1', runId: 'run-1', personaId: 'p-1' });
    await collect(router.stream({ ...ask, runId: 'run-2' }));
    assert.equal(recorder.calls.length, 2);
    const [first, second] = recorder.calls;
    assert.equal(first!.costUsd, 2 + 8, 'gpt-4.1 at $2 in + $8 out per million');
    assert.deepEqual([first!.runId, first!.personaId, first!.tokensIn, first!.tokensOut], ['run-1', 'p-1', 1_000_000, 1_000_000]);
    assert.deepEqual([second!.kind, second!.runId, second!.outcome], ['stream', 'run-2', 'success']);
  });

  it('records a stream the consumer abandoned as cancelled', async () => {
    fakes.anthropic.plan({ text: 'a b c d e f', chunkDelayMs: 20 });
    for await (const event of fakes.router().stream(ask)) {
      if (event.type === 'text') break;
    }
    assert.deepEqual(fakes.recorder.calls.map((c) => c.outcome), ['cancelled']);
  });
});
