import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../server/src/config.ts';
import { createLogger } from '../../../server/src/logger.ts';
import { startNyx } from '../../../server/src/main.ts';
import { createModelGateway } from '../../../server/src/modules/ai/gateway.ts';
import { createScratchDatabase, createTestTenant, TEST_DB, type TestNyx } from '../helpers/nyx.ts';
import { ApiClient, startProviderFakes, uniqueKey, type ProviderFakes } from './helpers.ts';

/** An instance logging at `trace` into memory, so the test reads everything the server logged. */
async function startLoggedNyx(lines: string[]): Promise<TestNyx> {
  const home = await mkdtemp(join(tmpdir(), 'nyx-secrecy-'));
  const scratch = TEST_DB === 'postgres' ? await createScratchDatabase() : null;
  const config = loadConfig({}, { home, port: 0, logLevel: 'trace', databaseUrl: scratch?.url ?? null });
  const nyx = await startNyx(config, createLogger('trace', { write: (line: string) => void lines.push(line) }));
  return {
    ...nyx,
    home,
    databaseUrl: nyx.database.url,
    async close() {
      await nyx.close();
      await scratch?.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

describe('AI API: provider keys never reach logs or responses', () => {
  const lines: string[] = [];
  let nyx: TestNyx;
  let fakes: ProviderFakes;

  before(async () => {
    fakes = await startProviderFakes();
    nyx = await startLoggedNyx(lines);
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
