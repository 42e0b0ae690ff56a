// What docs/tenancy.md promises about authentication beyond the happy path: the token cache is
// dropped when the event bus reconnects (a revocation may have been missed meanwhile), and
// last_used_at is written at most once a minute per token.
import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sql } from '../ai-api/helpers.ts';
import { waitFor } from '../runs/helpers.ts';

/** Long enough that only the bus, never the cache running out, can drop a cached token here. */
const LONG_CACHE_MS = 600_000;

async function tokenIdOf(url: string, who: TestTenant): Promise<string> {
  const tokens = await api<{ items: { id: string; prefix: string }[] }>(url, 'GET', '/api/v1/tokens', { token: who.token });
  const mine = tokens.body.items.find((t) => who.token.startsWith(t.prefix));
  assert.ok(mine, JSON.stringify(tokens.body));
  return mine.id;
}

const me = async (nyx: TestNyx, who: TestTenant) => (await api(nyx.url, 'GET', '/api/v1/me', { token: who.token })).status;

describe('authenticator: the cache follows the event bus', function () {
  let nyx: TestNyx;

  before(async function () {
    // The embedded database has no bus connection to lose (one process, a local bus).
    if (TEST_DB !== 'postgres') this.skip();
    nyx = await startTestNyx({ authCacheMs: LONG_CACHE_MS });
  });
  after(async () => nyx?.close());

  it('drops every cached token when the bus reconnects: a revocation it never heard takes effect', async () => {
    const who = await createTestTenant(nyx, 'bus-resync');
    const tokenId = await tokenIdOf(nyx.url, who);
    assert.equal(await me(nyx, who), 200);
    // Revoked behind the server's back (no bus notice), as a notice lost while the bus was down.
    await sql(nyx, 'update api_tokens set revoked_at = now() where id = ?', [tokenId]);
    assert.equal(await me(nyx, who), 200, 'the control: the cached token is still accepted');
    const cut = await sql<{ pid: number }>(nyx, `select pg_terminate_backend(pid) as pid from pg_stat_activity where application_name = 'nyx-event-bus' and datname = current_database()`);
    assert.equal(cut.length, 1, 'exactly one bus connection to cut');
    await waitFor('the bus to reconnect and the cache to drop the token', async () => (await me(nyx, who)) === 401, 15_000);
  });
});

describe('authenticator: last_used_at', () => {
  let nyx: TestNyx;

  before(async () => {
    // No cache: every request looks the token up, so only the once-a-minute rule limits writes.
    nyx = await startTestNyx({ authCacheMs: 0 });
    // Counts the writes (the value alone cannot tell a skipped write from one of the same moment).
    await sql(nyx, 'create table test_last_used_writes (token_id uuid not null, at timestamptz)');
    await sql(
      nyx,
      `create function test_log_last_used() returns trigger language plpgsql as $$
       begin
         if new.last_used_at is distinct from old.last_used_at then insert into test_last_used_writes values (new.id, new.last_used_at); end if;
         return new;
       end $$`,
    );
    await sql(nyx, 'create trigger test_last_used after update on api_tokens for each row execute function test_log_last_used()');
  });
  after(async () => nyx?.close());

  it('is written on first use, not again within the minute, and again once a minute has passed', async () => {
    const who = await createTestTenant(nyx, 'last-used');
    const tokenId = await tokenIdOf(nyx.url, who); // the first use
    const writes = async () => (await sql<{ n: number }>(nyx, 'select count(*)::int as n from test_last_used_writes where token_id = ?', [tokenId]))[0]!.n;
    await waitFor('the first last_used_at write', async () => (await writes()) === 1);
    for (let i = 0; i < 5; i++) assert.equal(await me(nyx, who), 200);

    // A controllable clock for one request: 61 s later, as the authenticator sees it.
    const realNow = Date.now;
    Date.now = () => realNow() + 61_000;
    try {
      assert.equal(await me(nyx, who), 200);
    } finally {
      Date.now = realNow;
    }
    // The later write is the positive signal: the five requests before it were looked up too.
    await waitFor('the write a minute later', async () => (await writes()) >= 2);
    assert.equal(await writes(), 2, 'five requests within the minute wrote nothing');
    const [row] = await sql<{ last_used_at: Date | null }>(nyx, 'select last_used_at from api_tokens where id = ?', [tokenId]);
    assert.ok(row?.last_used_at, 'last_used_at is set');
  });
});
