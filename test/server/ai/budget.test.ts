import assert from 'node:assert/strict';
import { FixedBudgetGuard } from '#server/modules/ai/engine/budget.ts';
import { BudgetExceededError } from '#server/modules/ai/engine/errors.ts';
import type { BudgetRequest } from '#server/modules/ai/engine/types.ts';
import { startFakes, type Fakes } from './setup.ts';

const ask = { messages: [{ role: 'user' as const, content: 'Write a long essay.' }] };

describe('AI budgets', function () {
  let fakes: Fakes;
  beforeEach(async () => (fakes = await startFakes()));
  afterEach(() => fakes.close());

  it('stops a stream mid-way when its output exceeds the token budget', async () => {
    // 40 chunks of 20 characters is ~200 tokens; the budget allows about 50.
    fakes.anthropic.plan({ text: 'x', chunks: Array.from({ length: 40 }, () => 'abcdefghijklmnopqrs '), chunkDelayMs: 2 });
    const router = fakes.router({ budget: new FixedBudgetGuard({ maxTokens: 60 }) });
    const received: string[] = [];
    const error = await (async () => {
      for await (const event of router.stream(ask)) if (event.type === 'text') received.push(event.text);
    })().catch((e: unknown) => e);
    assert.ok(error instanceof BudgetExceededError, String(error));
    assert.equal(error.limit, 'tokens');
    assert.match(error.message, /budget exceeded mid-stream.*limit 60 tokens/);
    assert.ok(received.length > 0 && received.length < 40, `stopped after ${received.length} chunks`);
    assert.equal(fakes.openai.requests.length, 0, 'a budget stop is not a reason to fall back');
    const [call] = fakes.recorder.calls;
    assert.equal(fakes.recorder.calls.length, 1);
    assert.equal(call!.outcome, 'budget_exceeded');
    assert.ok(call!.tokensOut > 0 && call!.costUsd > 0);
  });

  it('stops a stream when its cost exceeds the allowance', async () => {
    fakes.openai.plan({ text: 'word '.repeat(400) });
    // gpt-4.1 output is $8/MTok: $0.0002 pays for ~25 tokens of output.
    const router = fakes.router({ budget: new FixedBudgetGuard({ maxCostUsd: 0.0002 }) });
    await assert.rejects(
      (async () => {
        for await (const _ of router.stream({ ...ask, explicit: 'gpt-4.1' }));
      })(),
      (error: unknown) => error instanceof BudgetExceededError && error.limit === 'cost',
    );
  });

  it('refuses before calling when the prompt alone is over budget', async () => {
    const router = fakes.router({ budget: new FixedBudgetGuard({ maxTokens: 3 }) });
    await assert.rejects(router.chat(ask), (error: unknown) => {
      assert.ok(error instanceof BudgetExceededError);
      assert.match(error.message, /needs about \d+ tokens but only 3 tokens remain/);
      return true;
    });
    assert.equal(fakes.anthropic.requests.length + fakes.openai.requests.length, 0);
  });

  it('caps max_tokens of a non-streaming call to what the budget can pay for', async () => {
    const router = fakes.router({ budget: new FixedBudgetGuard({ maxTokens: 500 }) });
    await router.chat({ ...ask, maxTokens: 4_000 });
    const sent = fakes.anthropic.requests[0]!.body.max_tokens;
    assert.ok(sent < 500 && sent > 400, `max_tokens ${sent}`);
  });

  it('refuses a non-streaming call when the prompt fits but no answer token does', async () => {
    const router = fakes.router({ budget: new FixedBudgetGuard({ maxTokens: 10 }) });
    const prompt = { messages: [{ role: 'user' as const, content: 'x'.repeat(24) }] }; // estimated at 10 tokens
    await assert.rejects(router.chat(prompt), (error: unknown) => error instanceof BudgetExceededError && error.limit === 'tokens');
    assert.equal(fakes.anthropic.requests.length, 0);
  });

  it('asks the guard with the provider, model, estimate and ids', async () => {
    const seen: BudgetRequest[] = [];
    const router = fakes.router({ budget: { allowance: async (r) => (seen.push(r), {}) } });
    await router.chat({ ...ask, explicit: 'claude-opus-4-6', runId: 'r1', personaId: 'p1' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.model, 'claude-opus-4-6');
    assert.equal(seen[0]!.runId, 'r1');
    assert.ok(seen[0]!.estimatedInputTokens > 0 && seen[0]!.estimatedCostUsd > 0);
  });
});
