import assert from 'node:assert/strict';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { createTestTenant, sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { insertFinishedRun } from '../helpers/rows.ts';
import { aiCalls, ApiClient, sql, startProviderFakes, tenantWithProviders, type AiTenant, type ProviderFakes } from './helpers.ts';

const ask = { messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('AI API: usage and budgets', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let tenant: AiTenant;
  let runA: string;
  let runB: string;

  before(async () => {
    nyx = await sharedNyx();
    fakes = await startProviderFakes();
    tenant = await tenantWithProviders(nyx, fakes, 'usage');
    const scope = { tenantId: tenant.tenantId, userId: tenant.userId };
    // Real runs of the tenant: ai_calls.run_id is a tenant-checked foreign key (decision 0011).
    runA = await insertFinishedRun(nyx, scope);
    runB = await insertFinishedRun(nyx, scope);
    // run A: one fallback (anthropic 500 -> openai) = 2 attempts; run B: two anthropic calls; one call outside any run.
    fakes.anthropic.plan({ status: 500 });
    fakes.openai.plan({ text: 'a', inputTokens: 100, outputTokens: 10 });
    await (await createModelGateway(nyx.services, scope, { runId: runA })).router.chat(ask);
    const gatewayB = await createModelGateway(nyx.services, scope, { runId: runB });
    fakes.anthropic.plan({ text: 'b', inputTokens: 200, outputTokens: 20 }, { text: 'c', inputTokens: 300, outputTokens: 30 });
    await gatewayB.router.chat(ask);
    await gatewayB.router.chat(ask);
    fakes.openai.plan({ text: 'd', inputTokens: 50, outputTokens: 5 });
    await (await createModelGateway(nyx.services, scope)).router.chat({ ...ask, explicit: 'gpt-4.1-mini' });
    // Another tenant's calls must not show up in this tenant's report.
    const other = await tenantWithProviders(nyx, fakes, 'usage-other');
    fakes.openai.plan({ text: 'x', inputTokens: 9_999, outputTokens: 9_999 });
    await (await createModelGateway(nyx.services, { tenantId: other.tenantId, userId: other.userId })).router.chat({ ...ask, explicit: 'gpt-4.1-mini' });
  });
  after(() => fakes.close());

  it('aggregates by model: calls, failures, fallbacks, tokens, cost and latency', async () => {
    const res = await tenant.client.call('GET', '/api/v1/ai/usage?groupBy=model');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const byModel = Object.fromEntries(res.body.groups.map((g: any) => [g.key, g]));
    assert.deepEqual(Object.keys(byModel).sort(), ['claude-sonnet-4-6', 'gpt-4.1-mini']);
    const claude = byModel['claude-sonnet-4-6'];
    assert.deepEqual([claude.provider, claude.calls, claude.failures, claude.fallbacks, claude.tokensIn, claude.tokensOut], ['anthropic', 3, 1, 0, 500, 50]);
    // claude-sonnet-4-6: $3 / $15 per million
    assert.equal(claude.costUsd, (500 * 3 + 50 * 15) / 1e6);
    const mini = byModel['gpt-4.1-mini'];
    assert.deepEqual([mini.calls, mini.failures, mini.fallbacks, mini.tokensIn, mini.tokensOut], [2, 0, 1, 150, 15]);
    assert.equal(res.body.totals.calls, 5);
    assert.equal(res.body.totals.tokensIn, 650);
    const rows = await aiCalls(nyx, tenant.tenantId);
    const sumCost = rows.reduce((s, r) => s + Number(r.cost_usd), 0);
    assert.ok(Math.abs(res.body.totals.costUsd - sumCost) < 1e-9);
    assert.ok(res.body.totals.avgLatencyMs >= 0);
  });

  it('aggregates by run (calls outside a run under null) and by UTC day', async () => {
    const byRun = await tenant.client.call('GET', '/api/v1/ai/usage?groupBy=run');
    const runs = Object.fromEntries(byRun.body.groups.map((g: any) => [String(g.key), [g.calls, g.failures, g.fallbacks, g.tokensIn]]));
    assert.deepEqual(runs, { [runA]: [2, 1, 1, 100], [runB]: [2, 0, 0, 500], null: [1, 0, 0, 50] });
    const byDay = await tenant.client.call('GET', '/api/v1/ai/usage?groupBy=day');
    assert.deepEqual(byDay.body.groups.map((g: any) => [g.key, g.calls]), [[new Date().toISOString().slice(0, 10), 5]]);
  });

  it('honours the time window', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const later = await tenant.client.call('GET', `/api/v1/ai/usage?from=${tomorrow}`);
    assert.equal(later.status, 200);
    assert.deepEqual([later.body.groups, later.body.totals.calls], [[], 0]);
    const earlier = await tenant.client.call('GET', `/api/v1/ai/usage?from=2020-01-01&to=2020-02-01T00:00:00Z`);
    assert.equal(earlier.body.totals.calls, 0);
    assert.equal(earlier.body.from, '2020-01-01T00:00:00.000Z');
  });

  it('rejects bad usage queries with the field', async () => {
    for (const [query, field] of [
      ['groupBy=week', 'groupBy'],
      ['from=yesterday', 'from'],
      ['from=2026-02-01&to=2026-01-01', 'from'],
      ['limit=5', 'limit'],
    ]) {
      const res = await tenant.client.call('GET', `/api/v1/ai/usage?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(res.body.field, field, query);
    }
  });

  it('sets, replaces and reads the budget with what was spent', async () => {
    const put = await tenant.client.call('PUT', '/api/v1/ai/budget', { body: { monthlyCostUsd: 50, dailyTokens: 100_000, runCostUsd: 1.5 } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(put.body.limits, { dailyCostUsd: null, monthlyCostUsd: 50, dailyTokens: 100_000, monthlyTokens: null, runCostUsd: 1.5, runTokens: null });
    assert.equal(put.body.spent.today.tokens, 650 + 65);
    assert.equal(put.body.spent.month.tokens, 715);
    const replaced = await tenant.client.call('PUT', '/api/v1/ai/budget', { body: { dailyCostUsd: 2 } });
    assert.deepEqual(replaced.body.limits, { dailyCostUsd: 2, monthlyCostUsd: null, dailyTokens: null, monthlyTokens: null, runCostUsd: null, runTokens: null });
    assert.deepEqual((await tenant.client.call('GET', '/api/v1/ai/budget')).body.limits, replaced.body.limits);
    const rows = await sql(nyx, `select daily_cost_usd from ai_budgets where tenant_id = ?`, [tenant.tenantId]);
    assert.equal(rows.length, 1);
  });

  it("applies the tenant's default run cap to a run", async () => {
    const capped = await tenantWithProviders(nyx, fakes, 'usage-runcap');
    await capped.client.call('PUT', '/api/v1/ai/budget', { body: { runTokens: 500 } });
    const runId = await insertFinishedRun(nyx, capped);
    const gateway = await createModelGateway(nyx.services, { tenantId: capped.tenantId, userId: capped.userId }, { runId });
    fakes.anthropic.plan({ text: 'one', inputTokens: 450, outputTokens: 60 });
    await gateway.router.chat(ask);
    await assert.rejects(gateway.router.chat(ask), /run token budget 500/);
    // Outside a run the run cap does not apply.
    fakes.anthropic.plan({ text: 'two', inputTokens: 10, outputTokens: 1 });
    const free = await createModelGateway(nyx.services, { tenantId: capped.tenantId, userId: capped.userId });
    assert.equal((await free.router.chat(ask)).text, 'two');
  });

  it('rejects a bad budget with the field and writes nothing', async () => {
    const fresh = await createTestTenant(nyx, 'usage-bad');
    const client = new ApiClient(nyx, fresh.token);
    for (const [body, field] of [
      [{ dailyCostUsd: -1 }, 'dailyCostUsd'],
      [{ monthlyTokens: 1.5 }, 'monthlyTokens'],
      [{ dailyCostUsd: '5' }, 'dailyCostUsd'],
      [{ weeklyCostUsd: 5 }, 'weeklyCostUsd'],
    ] as const) {
      const res = await client.call('PUT', '/api/v1/ai/budget', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.field, field);
    }
    assert.deepEqual(await sql(nyx, `select 1 from ai_budgets where tenant_id = ?`, [fresh.tenantId]), []);
  });
});
