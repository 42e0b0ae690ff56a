import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { api } from '../helpers/http.ts';
import { createTeammate, createTestTenant, startTestNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { waitFor } from '../runs/helpers.ts';

const BIN = new URL('../../../server/bin/nyx-server.js', import.meta.url).pathname;
/** Long enough that only the revocation notice, never the cache running out, can end it in a test. */
const LONG_CACHE_MS = 600_000;

async function tokenIdOf(url: string, who: TestTenant): Promise<string> {
  const tokens = await api<{ items: { id: string; prefix: string }[] }>(url, 'GET', '/api/v1/tokens', { token: who.token });
  const mine = tokens.body.items.find((t) => who.token.startsWith(t.prefix));
  assert.ok(mine, JSON.stringify(tokens.body));
  return mine.id;
}

/** Caches the token on that instance: the next calls are answered without reading the database. */
async function signedIn(url: string, who: TestTenant): Promise<void> {
  assert.equal((await api(url, 'GET', '/api/v1/me', { token: who.token })).status, 200);
}

const refused = (url: string, who: TestTenant) => async () => (await api(url, 'GET', '/api/v1/me', { token: who.token })).status === 401;

describe('token revocation reaches every instance at once', function () {
  let first: TestNyx;
  let second: TestNyx;

  before(async function () {
    if (TEST_DB !== 'postgres') this.skip(); // one process owns the embedded database
    first = await startTestNyx({ authCacheMs: LONG_CACHE_MS });
    second = await startTestNyx({ databaseUrl: first.databaseUrl, authCacheMs: LONG_CACHE_MS });
  });
  after(async () => {
    await second?.close();
    await first?.close();
  });

  it('a token revoked through one instance is refused by the other, whose cache still held it', async () => {
    const owner = await createTestTenant(first, 'revoke');
    const spare = await createTeammate(first, owner.tenantId);
    await signedIn(second.url, spare);
    const revoked = await api(first.url, 'POST', `/api/v1/tokens/${await tokenIdOf(first.url, spare)}/revoke`, { token: owner.token });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await waitFor('the other instance refuses the revoked token', refused(second.url, spare));
    const body = (await api(second.url, 'GET', '/api/v1/me', { token: spare.token })).body;
    assert.match(JSON.stringify(body), /revoked/);
    await signedIn(second.url, owner); // other tokens are untouched
  });

  it('a token revoked from the CLI is refused by running instances', async () => {
    const who = await createTestTenant(first, 'revoke-cli');
    await signedIn(first.url, who);
    await signedIn(second.url, who);
    await promisify(execFile)(process.execPath, [BIN, 'token', 'revoke', await tokenIdOf(first.url, who), '--json'], {
      env: { ...process.env, DATABASE_URL: first.databaseUrl, NYX_LOG_LEVEL: 'silent' },
    });
    await waitFor('the first instance refuses it', refused(first.url, who));
    await waitFor('the second instance refuses it', refused(second.url, who));
  });
});
