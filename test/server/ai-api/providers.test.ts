import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx } from '../helpers/nyx.ts';
import { ApiClient, sql, startProviderFakes, tenantWithProviders, uniqueKey, type AiTenant, type ProviderFakes } from './helpers.ts';

describe('AI API: provider keys', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let alpha: AiTenant;

  before(async () => {
    nyx = await sharedNyx();
    fakes = await startProviderFakes();
    alpha = await tenantWithProviders(nyx, fakes, 'keys-a');
  });
  after(() => fakes.close());

  it('stores the key encrypted: the column holds no plaintext, and the ciphertext is bound to its tenant', async () => {
    const rows = await sql<{ provider: string; encrypted_key: string; key_hint: string; base_url: string }>(
      nyx,
      `select provider, encrypted_key, key_hint, base_url from provider_credentials where tenant_id = ? order by provider`,
      [alpha.tenantId],
    );
    assert.deepEqual(rows.map((r) => r.provider), ['anthropic', 'openai']);
    const anthropic = rows[0];
    assert.match(anthropic.encrypted_key, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const everything = JSON.stringify(await sql(nyx, `select * from provider_credentials`));
    assert.ok(!everything.includes(alpha.anthropicKey) && !everything.includes(alpha.openaiKey), 'a key is stored in clear');
    // Not even a recognisable piece of the key beyond the hint's last 4 characters.
    assert.ok(!everything.includes(alpha.anthropicKey.slice(0, 20)));
    assert.equal(anthropic.key_hint, `…${alpha.anthropicKey.slice(-4)}`);
    assert.equal(anthropic.base_url, fakes.anthropic.url);
    // The same ciphertext does not open under another tenant's context.
    const box = nyx.services.secretBox;
    assert.equal(box.decrypt(anthropic.encrypted_key, `${alpha.tenantId}/anthropic`), alpha.anthropicKey);
    assert.throws(() => box.decrypt(anthropic.encrypted_key, `00000000-0000-4000-8000-000000000000/anthropic`), /failed authentication/);
  });

  it('shows configured providers with a hint and base URL only, never the key', async () => {
    const list = await alpha.client.call('GET', '/api/v1/providers');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((p: any) => [p.provider, p.hasKey, p.keyHint, p.baseUrl]),
      [
        ['anthropic', true, `…${alpha.anthropicKey.slice(-4)}`, fakes.anthropic.url],
        ['openai', true, `…${alpha.openaiKey.slice(-4)}`, fakes.openai.url],
      ],
    );
    assert.ok(!('apiKey' in list.body.items[0]) && !('encryptedKey' in list.body.items[0]));
    const models = await alpha.client.call('GET', '/api/v1/models');
    assert.deepEqual(models.body.configuredProviders, ['anthropic', 'openai']);
    for (const body of alpha.client.responses) {
      assert.ok(!body.includes(alpha.anthropicKey) && !body.includes(alpha.openaiKey), `a response carried a key: ${body}`);
    }
  });

  it('replaces a key, keeps it when only the base URL changes, and shows no hint for a short key', async () => {
    const tenant = await createTestTenant(nyx, 'keys-rotate');
    const client = new ApiClient(nyx, tenant.token);
    const first = await client.call('PUT', '/api/v1/providers/openai', { body: { apiKey: 'sk-short-1' } });
    assert.equal(first.status, 200);
    assert.equal(first.body.keyHint, null, 'the last 4 of a 10-character key is too much of it');
    const moved = await client.call('PUT', '/api/v1/providers/openai', { body: { baseUrl: fakes.openai.url } });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.hasKey, true);
    const [row] = await sql<{ encrypted_key: string }>(nyx, `select encrypted_key from provider_credentials where tenant_id = ?`, [tenant.tenantId]);
    assert.equal(nyx.services.secretBox.decrypt(row.encrypted_key, `${tenant.tenantId}/openai`), 'sk-short-1');
    const cleared = await client.call('PUT', '/api/v1/providers/openai', { body: { baseUrl: null } });
    assert.equal(cleared.body.baseUrl, null);
  });

  it('isolates credentials: another tenant neither sees nor uses nor deletes them', async () => {
    const beta = await createTestTenant(nyx, 'keys-b');
    const client = new ApiClient(nyx, beta.token);
    assert.deepEqual((await client.call('GET', '/api/v1/providers')).body.items, []);
    assert.deepEqual((await client.call('GET', '/api/v1/models')).body.configuredProviders, []);
    const requestsBefore = fakes.anthropic.requests.length;
    const test = await client.call('POST', '/api/v1/providers/anthropic/test');
    assert.equal(test.status, 409);
    assert.equal(test.body.code, 'provider_not_configured');
    assert.match(test.body.detail, /PUT \/api\/v1\/providers\/anthropic.*Nyx: Configure AI Provider/);
    assert.equal(fakes.anthropic.requests.length, requestsBefore, "beta's test must not reach the provider with alpha's key");
    const removed = await client.call('DELETE', '/api/v1/providers/anthropic');
    assert.equal(removed.status, 404);
    assert.equal((await sql(nyx, `select 1 from provider_credentials where tenant_id = ?`, [alpha.tenantId])).length, 2);
  });

  it('tests a working key with a tiny call to the provider', async () => {
    const res = await alpha.client.call('POST', '/api/v1/providers/anthropic/test', { body: {} });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.ok, true);
    assert.equal(res.body.model, 'claude-sonnet-4-6');
    const sent = fakes.anthropic.requests.at(-1)!;
    const sentKey = sent.headers['x-api-key'] ?? sent.headers['authorization']?.replace(/^Bearer /, '');
    assert.equal(sentKey, alpha.anthropicKey, 'the decrypted key is what the SDK sends');
    assert.ok(sent.body.max_tokens <= 16);
  });

  it('says the key is invalid when the provider answers 401', async () => {
    fakes.openai.plan({ status: 401, message: 'Incorrect API key provided.' });
    const res = await alpha.client.call('POST', '/api/v1/providers/openai/test', { body: {} });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'provider_key_invalid');
    assert.match(res.body.detail, /openai API key is invalid.*401.*PUT \/api\/v1\/providers\/openai.*Nyx: Configure AI Provider/);
  });

  it('says the provider is unreachable when nothing listens at the base URL', async () => {
    const tenant = await createTestTenant(nyx, 'keys-down');
    const client = new ApiClient(nyx, tenant.token);
    await client.call('PUT', '/api/v1/providers/anthropic', { body: { apiKey: uniqueKey('sk-ant'), baseUrl: 'http://127.0.0.1:9/' } });
    const res = await client.call('POST', '/api/v1/providers/anthropic/test');
    assert.equal(res.status, 502);
    assert.equal(res.body.code, 'provider_unreachable');
    assert.match(res.body.detail, /Could not reach anthropic at http:\/\/127\.0\.0\.1:9\//);
  });

  it('deletes a key, after which the provider is no longer configured', async () => {
    const tenant = await tenantWithProviders(nyx, fakes, 'keys-del');
    assert.equal((await tenant.client.call('DELETE', '/api/v1/providers/openai')).status, 204);
    assert.deepEqual((await tenant.client.call('GET', '/api/v1/providers')).body.items.map((p: any) => p.provider), ['anthropic']);
    assert.equal((await tenant.client.call('DELETE', '/api/v1/providers/openai')).status, 404);
  });

  describe('bad input: 400 naming the field, nothing written', () => {
    const cases: [string, string, unknown, string][] = [
      ['unknown provider', '/api/v1/providers/mistral', { apiKey: uniqueKey('k') }, 'provider'],
      ['bad base URL', '/api/v1/providers/openai', { apiKey: uniqueKey('k'), baseUrl: 'ftp://example.com' }, 'baseUrl'],
      ['base URL with credentials', '/api/v1/providers/openai', { apiKey: uniqueKey('k'), baseUrl: 'https://u:p@example.com' }, 'baseUrl'],
      ['over-long key', '/api/v1/providers/openai', { apiKey: 'k'.repeat(513) }, 'apiKey'],
      ['key with spaces', '/api/v1/providers/openai', { apiKey: 'sk one two' }, 'apiKey'],
      ['unknown field', '/api/v1/providers/openai', { apiKey: uniqueKey('k'), organisation: 'x' }, 'organisation'],
      ['missing key', '/api/v1/providers/anthropic', {}, 'apiKey'],
    ];
    for (const [name, path, body, field] of cases) {
      it(name, async () => {
        const tenant = await createTestTenant(nyx, 'keys-bad');
        const res = await api(nyx.url, 'PUT', path, { token: tenant.token, body });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.field, field);
        assert.deepEqual(await sql(nyx, `select 1 from provider_credentials where tenant_id = ?`, [tenant.tenantId]), []);
      });
    }
  });
});
