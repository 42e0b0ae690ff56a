// The provider setup the editor walks through: store an OpenAI-compatible server's base URL, list
// the models it serves (the server asks it), register the picked ones, test the connection.
// Against the loopback OpenAI fake speaking GET /v1/models and Chat Completions.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import { createTestTenant, sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { ApiClient, sql, uniqueKey } from './helpers.ts';

describe('AI API: provider setup (model listing and connection test)', () => {
  let nyx: TestNyx;
  let ollama: FakeOpenAI;
  const served = ['qwen2.5-coder:7b', 'llama3.2:3b', 'nomic-embed-text:latest'];

  before(async () => {
    nyx = await sharedNyx();
    ollama = await startFakeOpenAI({ models: served });
  });
  after(() => ollama.close());

  async function team(label: string): Promise<ApiClient & { tenantId: string }> {
    const tenant = await createTestTenant(nyx, label);
    return Object.assign(new ApiClient(nyx, tenant.token), { tenantId: tenant.tenantId });
  }

  it('lists the models a compatible server serves, registers a picked one, and tests it', async () => {
    const client = await team('setup-ollama');
    const stored = await client.call('PUT', '/api/v1/providers/openai-compatible', { body: { baseUrl: ollama.url } });
    assert.equal(stored.status, 200, JSON.stringify(stored.body));

    const listed = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.baseUrl, ollama.url);
    assert.deepEqual(listed.body.items.map((m: any) => [m.id, m.registered]), [
      ['llama3.2:3b', false],
      ['nomic-embed-text:latest', false],
      ['qwen2.5-coder:7b', false],
    ]);
    const asked = ollama.requests.at(-1)!;
    assert.equal(asked.method, 'GET');
    assert.equal(asked.path, '/v1/models');

    const added = await client.call('POST', '/api/v1/models', { body: { provider: 'openai-compatible', id: 'qwen2.5-coder:7b' } });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    const again = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.deepEqual(again.body.items.filter((m: any) => m.registered).map((m: any) => m.id), ['qwen2.5-coder:7b']);

    ollama.plan({ text: 'OK' });
    const tested = await client.call('POST', '/api/v1/providers/openai-compatible/test', { body: {} });
    assert.equal(tested.status, 200, JSON.stringify(tested.body));
    assert.equal(tested.body.ok, true);
    assert.equal(tested.body.model, 'qwen2.5-coder:7b', 'the first registered model of a provider without a built-in default');
    assert.ok(Number.isInteger(tested.body.latencyMs) && tested.body.latencyMs >= 0);
    const chat = ollama.requests.at(-1)!;
    assert.equal(chat.path, '/v1/chat/completions');
    assert.equal(chat.body.model, 'qwen2.5-coder:7b');
  });

  it('probes a base URL before it is saved, without sending the stored key elsewhere', async () => {
    const client = await team('setup-probe');
    const key = uniqueKey('sk-local');
    await client.call('PUT', '/api/v1/providers/openai-compatible', { body: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: key } });
    const probed = await client.call('GET', `/api/v1/providers/openai-compatible/models?baseUrl=${encodeURIComponent(ollama.url)}`);
    assert.equal(probed.status, 200, JSON.stringify(probed.body));
    assert.equal(probed.body.items.length, served.length);
    const sent = ollama.requests.at(-1)!;
    assert.notEqual(sent.headers.authorization, `Bearer ${key}`, 'the stored key went to a URL it was not stored for');
    assert.ok(!JSON.stringify(client.responses).includes(key));
  });

  it('sends the stored key to the stored endpoint, and says so clearly when the server rejects it', async () => {
    const client = await team('setup-key');
    const key = uniqueKey('sk-vllm');
    await client.call('PUT', '/api/v1/providers/openai-compatible', { body: { baseUrl: ollama.url, apiKey: key } });
    ollama.plan({ status: 401, message: 'Invalid API key' });
    const rejected = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.equal(rejected.status, 400);
    assert.equal(rejected.body.code, 'provider_key_invalid');
    assert.equal(ollama.requests.at(-1)!.headers.authorization, `Bearer ${key}`);
    const listed = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.equal(listed.status, 200);
  });

  it('answers 502 with the base URL when nothing listens there, and when the endpoint is no model server', async () => {
    const client = await team('setup-down');
    await client.call('PUT', '/api/v1/providers/openai-compatible', { body: { baseUrl: 'http://127.0.0.1:9/v1' } });
    const down = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.equal(down.status, 502, JSON.stringify(down.body));
    assert.equal(down.body.code, 'provider_unreachable');
    assert.match(down.body.detail, /Could not reach openai-compatible at http:\/\/127\.0\.0\.1:9\/v1/);

    const tested = await client.call('POST', '/api/v1/providers/openai-compatible/test', { body: { model: 'gpt-4.1-mini' } });
    assert.equal(tested.status, 400, 'gpt-4.1-mini is an openai model, not one of this server');
    assert.equal(tested.body.field, 'model');

    // A web server that answers HTML: a 502 that says what answered, never a 500.
    const page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}/v1`;
      const notModels = await client.call('GET', `/api/v1/providers/openai-compatible/models?baseUrl=${encodeURIComponent(url)}`);
      assert.equal(notModels.status, 502, JSON.stringify(notModels.body));
      assert.equal(notModels.body.code, 'provider_test_failed');
    } finally {
      page.close();
    }
  });

  it('refuses bad input with a 4xx naming the field, and writes nothing', async () => {
    const client = await team('setup-bad');
    const notUrl = await client.call('GET', `/api/v1/providers/openai-compatible/models?baseUrl=${encodeURIComponent('localhost:11434')}`);
    assert.equal(notUrl.status, 400);
    assert.match(notUrl.body.detail, /baseUrl/);
    const ftp = await client.call('PUT', '/api/v1/providers/openai-compatible', { body: { baseUrl: 'ftp://127.0.0.1/v1' } });
    assert.equal(ftp.status, 400);
    assert.match(ftp.body.detail, /baseUrl/);
    const unknown = await client.call('GET', '/api/v1/providers/mistral/models');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /provider/);
    const extra = await client.call('GET', `/api/v1/providers/openai-compatible/models?url=${encodeURIComponent(ollama.url)}`);
    assert.equal(extra.status, 400);
    const none = await client.call('GET', '/api/v1/providers/openai-compatible/models');
    assert.equal(none.status, 409, 'nothing stored and no probe URL');
    assert.equal(none.body.code, 'provider_not_configured');
    const notConfigured = await client.call('POST', '/api/v1/providers/openai/test', { body: {} });
    assert.equal(notConfigured.status, 409);
    assert.deepEqual(await sql(nyx, 'select 1 from provider_credentials where tenant_id = ?', [client.tenantId]), []);
    assert.deepEqual(await sql(nyx, 'select 1 from ai_models where tenant_id = ?', [client.tenantId]), []);
  });
});
