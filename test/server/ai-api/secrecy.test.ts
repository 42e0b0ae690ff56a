import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { createTestTenant, startTestNyx, type TestNyx } from '../helpers/nyx.ts';
import { ApiClient, startProviderFakes, uniqueKey, type ProviderFakes } from './helpers.ts';

describe('AI API: provider keys never reach logs or responses', () => {
  const lines: string[] = [];
  let nyx: TestNyx;
  let fakes: ProviderFakes;

  before(async () => {
    fakes = await startProviderFakes();
    nyx = await startTestNyx({ logLevel: 'trace' }, { logLines: lines }); // everything the server logs, read below
  });
  after(async () => {
    await nyx?.close();
    await fakes.close();
  });

  it('creates $NYX_HOME/secret.key readable by its owner only', async () => {
    const { mode } = await stat(join(nyx.home, 'secret.key'));
    assert.equal(mode & 0o777, 0o600);
  });

  it('logs the work around a key (store, list, test, bad key, calls, delete) without the key', async () => {
    const tenant = await createTestTenant(nyx, 'secrecy');
    const client = new ApiClient(nyx, tenant.token);
    const key = uniqueKey('sk-ant-api03');
    const rejected = uniqueKey('sk-ant-api03');
    assert.equal((await client.call('PUT', '/api/v1/providers/anthropic', { body: { apiKey: key, baseUrl: fakes.anthropic.url } })).status, 200);
    assert.equal((await client.call('PUT', '/api/v1/providers/anthropic', { body: { apiKey: rejected, baseUrl: 'gopher://x' } })).status, 400);
    assert.equal((await client.call('GET', '/api/v1/providers')).status, 200);
    assert.equal((await client.call('POST', '/api/v1/providers/anthropic/test')).status, 200);
    fakes.anthropic.plan({ status: 401 });
    assert.equal((await client.call('POST', '/api/v1/providers/anthropic/test')).status, 400);
    fakes.anthropic.plan({ status: 500 });
    const gateway = await createModelGateway(nyx.services, { tenantId: tenant.tenantId, userId: tenant.userId });
    await assert.rejects(gateway.router.chat({ messages: [{ role: 'user', content: 'hi' }] }), /All AI providers failed/);
    assert.equal((await client.call('DELETE', '/api/v1/providers/anthropic')).status, 204);

    const log = lines.join('');
    assert.match(log, /provider credential stored/, 'the capture works: the store was logged');
    assert.match(log, new RegExp(`…${key.slice(-4)}`), 'the hint may be logged');
    for (const secret of [key, rejected]) {
      assert.ok(!log.includes(secret), 'a key reached the log');
      assert.ok(!client.responses.some((body) => body.includes(secret)), 'a key reached a response');
    }
    const serverKey = (await readFile(join(nyx.home, 'secret.key'), 'utf8')).trim();
    assert.ok(serverKey.length >= 44 && !log.includes(serverKey), 'the server secret key reached the log');
  });
});
