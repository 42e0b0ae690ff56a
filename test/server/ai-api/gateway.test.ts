import assert from 'node:assert/strict';
import { BudgetExceededError, ProviderNotConfiguredError } from '#server/modules/ai/engine/errors.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { createTestTenant, sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { insertFinishedRun } from '../helpers/rows.ts';
import { aiCalls, startProviderFakes, tenantWithProviders, type AiTenant, type ProviderFakes } from './helpers.ts';

const ask = { messages: [{ role: 'user' as const, content: 'Summarise the change.' }] };

describe('AI gateway: tenant-bound routing, ai_calls rows, budgets', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;

  before(async () => {
    nyx = await sharedNyx();
    fakes = await startProviderFakes();
  });
  after(() => fakes.close());

  const gatewayFor = (tenant: AiTenant, options: Parameters<typeof createModelGateway>[2] = {}) =>
    createModelGateway(nyx.services, { tenantId: tenant.tenantId, userId: tenant.userId }, { timeoutMs: 3_000, maxRetryAfterWaitMs: 500, ...options });

  it('writes one row per attempt: a 500 falls back to OpenAI, with tokens, cost, run and fallback_from', async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'gw-fallback');
    const runId = await insertFinishedRun(nyx, tenant);
    fakes.anthropic.plan({ status: 500 });
    fakes.openai.plan({ text: 'Looks fine.', inputTokens: 1000, outputTokens: 500 });
    const gateway = await gatewayFor(tenant, { runId, personaId: 'reviewer' });
    const answer = await gateway.router.chat(ask);
    assert.equal(answer.text, 'Looks fine.');
    assert.equal(answer.fallbackFrom, 'anthropic');
    const rows = await aiCalls(nyx, tenant.tenantId);
    assert.equal(rows.length, 2);
    const [failed, fallback] = rows;
    assert.deepEqual([failed.provider, failed.model, failed.outcome, failed.fallback_from], ['anthropic', 'claude-sonnet-4-6', 'server_error', null]);
    assert.match(failed.error_message ?? '', /500/);
    assert.deepEqual([fallback.provider, fallback.model, fallback.outcome, fallback.fallback_from], ['openai', 'gpt-4.1-mini', 'success', 'anthropic']);
    assert.deepEqual([fallback.tokens_in, fallback.tokens_out], [1000, 500]);
    // gpt-4.1-mini: $0.40 in, $1.60 out per million tokens
    assert.equal(Number(fallback.cost_usd), 0.0012);
    assert.ok(rows.every((r) => r.run_id === runId && r.persona_id === 'reviewer' && r.kind === 'chat'));
    assert.deepEqual(gateway.spent(), { costUsd: 0.0012, tokens: 1500 });
  });

  it('records the retry after a 429 with Retry-After as attempt 2 of the same provider', async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'gw-retry');
    fakes.anthropic.plan({ status: 429, retryAfter: 0 }, { text: 'Done.', inputTokens: 10, outputTokens: 2 });
    await (await gatewayFor(tenant)).router.chat(ask);
    const rows = await aiCalls(nyx, tenant.tenantId);
    assert.deepEqual(
      rows.map((r) => [r.provider, r.attempt, r.outcome, r.fallback_from, r.run_id]),
      [
        ['anthropic', 1, 'rate_limited', null, null],
        ['anthropic', 2, 'success', null, null],
      ],
    );
  });

  it("stops a stream mid-way when the tenant's daily budget runs out, then refuses the next call up front", async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'gw-budget');
    const put = await tenant.client.call('PUT', '/api/v1/ai/budget', { body: { dailyCostUsd: 0.002 } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    // 10,000 characters ~ 2,500 output tokens ~ $0.0375 on claude-sonnet-4-6: far over $0.002.
    fakes.anthropic.plan({ text: 'word '.repeat(2_000) });
    const gateway = await gatewayFor(tenant);
    let received = '';
    await assert.rejects(
      (async () => {
        for await (const event of gateway.router.stream(ask)) if (event.type === 'text') received += event.text;
      })(),
      (error: unknown) => {
        assert.ok(error instanceof BudgetExceededError);
        assert.equal(error.status, 402);
        assert.match(error.message, /budget exceeded mid-stream \(tenant daily cost budget \$0\.002\).*the response was stopped/);
        return true;
      },
    );
    assert.ok(received.length > 0 && received.length < 2_000, `streamed ${received.length} characters before the stop`);
    const [row] = await aiCalls(nyx, tenant.tenantId);
    assert.equal(row.outcome, 'budget_exceeded');
    assert.equal(row.kind, 'stream');
    assert.ok(row.tokens_out > 0 && row.tokens_out < 2_500);
    assert.ok(Number(row.cost_usd) > 0.0019, `the stop is recorded with what it cost: ${row.cost_usd}`);

    const requests = fakes.anthropic.requests.length;
    await assert.rejects(gateway.router.chat(ask), /AI budget exceeded \(tenant daily cost budget .*\): this call needs about .* but only 0\.0000 USD remain/);
    assert.equal(fakes.anthropic.requests.length, requests, 'a refused call never reaches the provider');
    assert.equal((await aiCalls(nyx, tenant.tenantId)).length, 1, 'a call refused before it starts is not an attempt');
    const budget = await tenant.client.call('GET', '/api/v1/ai/budget');
    assert.ok(budget.body.spent.today.costUsd >= 0.002);
  });

  it('caps a run: calls of that run stop at its budget, another run is not affected', async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'gw-run');
    const runId = await insertFinishedRun(nyx, tenant);
    const first = await gatewayFor(tenant, { runId, runBudget: { maxTokens: 1_000 } });
    fakes.anthropic.plan({ text: 'A long enough answer.', inputTokens: 700, outputTokens: 300 });
    await first.router.chat(ask);
    // A new gateway for the same run (a worker after a restart) sees what the run already spent.
    const again = await gatewayFor(tenant, { runId, runBudget: { maxTokens: 1_000 } });
    await assert.rejects(again.router.chat(ask), /AI budget exceeded \(run token budget 1000\)/);
    const other = await gatewayFor(tenant, { runId: await insertFinishedRun(nyx, tenant), runBudget: { maxTokens: 1_000 } });
    fakes.anthropic.plan({ text: 'Fine.', inputTokens: 20, outputTokens: 2 });
    assert.equal((await other.router.chat(ask)).text, 'Fine.');
  });

  it("never routes with another tenant's keys", async () => {
    await tenantWithProviders(nyx, fakes, 'gw-owner');
    const stranger = await createTestTenant(nyx, 'gw-stranger');
    const gateway = await createModelGateway(nyx.services, { tenantId: stranger.tenantId, userId: stranger.userId });
    const before = fakes.anthropic.requests.length + fakes.openai.requests.length;
    await assert.rejects(gateway.router.chat(ask), (error: unknown) => error instanceof ProviderNotConfiguredError);
    assert.equal(fakes.anthropic.requests.length + fakes.openai.requests.length, before);
  });

  it("uses the tenant's custom keyless model on an OpenAI-compatible server (e.g. Ollama)", async () => {
    const tenant = await createTestTenant(nyx, 'gw-local');
    const { ApiClient } = await import('./helpers.ts');
    const client = new ApiClient(nyx, tenant.token);
    const added = await client.call('POST', '/api/v1/models', { body: { provider: 'openai-compatible', id: 'qwen2.5-coder:7b', baseUrl: fakes.openai.url } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    fakes.openai.plan({ text: 'local answer', inputTokens: 5, outputTokens: 2 });
    const gateway = await createModelGateway(nyx.services, { tenantId: tenant.tenantId, userId: tenant.userId });
    const answer = await gateway.router.chat(ask);
    assert.deepEqual([answer.provider, answer.model, answer.text, answer.costUsd], ['openai-compatible', 'qwen2.5-coder:7b', 'local answer', 0]);
    assert.equal(fakes.openai.requests.at(-1)!.body.model, 'qwen2.5-coder:7b');
    const [row] = await aiCalls(nyx, tenant.tenantId);
    assert.deepEqual([row.provider, row.model, row.outcome, Number(row.cost_usd)], ['openai-compatible', 'qwen2.5-coder:7b', 'success', 0]);
  });
});
