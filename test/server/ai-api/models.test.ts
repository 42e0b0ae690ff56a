import assert from 'node:assert/strict';
import { createTestTenant, sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { ApiClient, sql } from './helpers.ts';

describe('AI API: model catalog and custom models', () => {
  let nyx: TestNyx;
  let client: ApiClient;
  let tenantId: string;

  before(async () => {
    nyx = await sharedNyx();
    const tenant = await createTestTenant(nyx, 'models');
    tenantId = tenant.tenantId;
    client = new ApiClient(nyx, tenant.token);
  });

  it('lists the built-in catalog with defaults and fast models', async () => {
    const res = await client.call('GET', '/api/v1/models');
    assert.equal(res.status, 200);
    const ids = res.body.models.map((m: any) => m.id);
    for (const id of ['claude-opus-4-6', 'claude-sonnet-4-6', 'gpt-5', 'gpt-4.1-mini', 'gemini-2.5-flash-lite']) assert.ok(ids.includes(id), id);
    assert.equal(res.body.defaults.anthropic, 'claude-sonnet-4-6');
    assert.equal(res.body.defaults.openai, 'gpt-4.1-mini');
    assert.ok(res.body.fastModels.includes('gpt-4.1-mini'));
    assert.deepEqual(res.body.configuredProviders, []);
  });

  it('adds a custom model that then appears in the catalog, for this tenant only', async () => {
    const body = {
      provider: 'openai-compatible',
      id: 'llama3.1:8b',
      displayName: 'Llama 3.1 8B (local)',
      baseUrl: 'http://127.0.0.1:11434/v1',
      contextWindow: 131_072,
      capabilities: { tools: true },
      fast: true,
    };
    const created = await client.call('POST', '/api/v1/models', { body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      [created.body.id, created.body.custom, created.body.contextWindow, created.body.maxOutput, created.body.inputPricePerMTok, created.body.capabilities],
      ['llama3.1:8b', true, 131_072, 4_096, 0, { streaming: true, json: true, tools: true, vision: false }],
    );
    const list = await client.call('GET', '/api/v1/models');
    const entry = list.body.models.find((m: any) => m.id === 'llama3.1:8b');
    assert.equal(entry?.displayName, 'Llama 3.1 8B (local)');
    assert.equal(list.body.defaults['openai-compatible'], 'llama3.1:8b', 'first custom model of a provider without a default');
    assert.ok(list.body.fastModels.includes('llama3.1:8b'));

    const other = await createTestTenant(nyx, 'models-other');
    const theirs = await new ApiClient(nyx, other.token).call('GET', '/api/v1/models');
    assert.ok(!theirs.body.models.some((m: any) => m.id === 'llama3.1:8b'));
    assert.equal((await new ApiClient(nyx, other.token).call('DELETE', `/api/v1/models/${encodeURIComponent('llama3.1:8b')}`)).status, 404);
  });

  it('lets a custom model correct a built-in one', async () => {
    const res = await client.call('POST', '/api/v1/models', { body: { provider: 'openai', id: 'gpt-4.1-nano', inputPricePerMTok: 0.2, outputPricePerMTok: 0.8 } });
    assert.equal(res.status, 201);
    const list = await client.call('GET', '/api/v1/models');
    const nano = list.body.models.filter((m: any) => m.id === 'gpt-4.1-nano');
    assert.equal(nano.length, 1);
    assert.deepEqual([nano[0].inputPricePerMTok, nano[0].custom], [0.2, true]);
  });

  it('refuses a duplicate with 409 and removes a custom model by id', async () => {
    const duplicate = await client.call('POST', '/api/v1/models', { body: { provider: 'openai-compatible', id: 'llama3.1:8b' } });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.field, 'id');
    const removed = await client.call('DELETE', `/api/v1/models/${encodeURIComponent('llama3.1:8b')}`);
    assert.equal(removed.status, 204);
    assert.ok(!(await client.call('GET', '/api/v1/models')).body.models.some((m: any) => m.id === 'llama3.1:8b'));
    assert.equal((await client.call('DELETE', `/api/v1/models/${encodeURIComponent('llama3.1:8b')}`)).status, 404);
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    const cases: [string, unknown, string][] = [
      ['unknown provider', { provider: 'mistral', id: 'm' }, 'provider'],
      ['missing id', { provider: 'openai' }, 'id'],
      ['id with spaces', { provider: 'openai', id: 'my model' }, 'id'],
      ['bad base URL', { provider: 'openai-compatible', id: 'm', baseUrl: 'localhost:11434' }, 'baseUrl'],
      ['negative price', { provider: 'openai', id: 'm', inputPricePerMTok: -1 }, 'inputPricePerMTok'],
      ['zero context window', { provider: 'openai', id: 'm', contextWindow: 0 }, 'contextWindow'],
      ['unknown field', { provider: 'openai', id: 'm', temperature: 1 }, 'temperature'],
      ['unknown capability', { provider: 'openai', id: 'm', capabilities: { audio: true } }, 'capabilities.audio'],
    ];
    for (const [name, body, field] of cases) {
      it(name, async () => {
        const before = await sql(nyx, `select count(*)::int as n from ai_models where tenant_id = ?`, [tenantId]);
        const res = await client.call('POST', '/api/v1/models', { body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.field, field);
        assert.deepEqual(await sql(nyx, `select count(*)::int as n from ai_models where tenant_id = ?`, [tenantId]), before);
      });
    }
  });
});
