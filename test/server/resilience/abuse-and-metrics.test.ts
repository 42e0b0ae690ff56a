// Issue #14: token guessing is rate limited per client address (429 + Retry-After) while a valid
// client is untouched, security events stay bounded, and GET /metrics reports the server's state
// (here: SSE subscribers return to zero after 300 clients are killed).
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { pruneSecurityEvents } from '#server/modules/audit/service.ts';
import { TokenBuckets } from '#server/modules/tenancy/token-buckets.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sql } from '../ai-api/helpers.ts';
import { openStream, rawRequest, sample } from './raw-http.ts';

const ATTACKER = '127.0.0.2';
const BURST = 20;
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('resilience: abuse resistance and metrics', () => {
  let nyx: TestNyx;
  let team: TestTenant;

  before(async function () {
    this.timeout(300_000); // a fresh instance migrates a new database; slow on a loaded machine
    // Listening on every interface so a non-loopback client can be tried below.
    nyx = await startTestNyx({ host: '0.0.0.0', authFailureBurst: BURST, authFailurePerMinute: 6, metricsToken: METRICS_TOKEN });
    team = await createTestTenant(nyx, 'abuse');
  });
  after(async () => {
    await nyx?.close();
  });

  it('token buckets refill at their rate and say when to come back', () => {
    let now = 0;
    const buckets = new TokenBuckets(2, 0.5, () => now);
    assert.deepEqual([buckets.take('a'), buckets.take('a')], [{ ok: true }, { ok: true }]);
    assert.deepEqual(buckets.take('a'), { ok: false, retryAfterSeconds: 2 });
    assert.deepEqual(buckets.take('b'), { ok: true }, 'another key has its own bucket');
    now = 2_000;
    assert.deepEqual(buckets.check('a'), { ok: true }, 'one token back after 2 s at 0.5/s');
    assert.deepEqual(buckets.take('a'), { ok: true });
    assert.equal(buckets.take('a').ok, false);
  });

  it('answers a burst of bad tokens with 429 + Retry-After, keeps a valid client served, and bounds security_events', async () => {
    const [{ n: rowsBefore }] = await sql<{ n: number }>(nyx, `select count(*)::int as n from security_events`);
    const guesses = 300;
    const statuses: number[] = [];
    const retryAfters: string[] = [];
    const attack = (async () => {
      for (let i = 0; i < guesses; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, (_, j) => rawRequest(nyx.url, '/api/v1/projects', { localAddress: ATTACKER, token: `nyx_${String(i + j).padStart(40, 'G')}` })),
        );
        for (const res of batch) {
          statuses.push(res.status);
          if (res.status === 429) retryAfters.push(String(res.headers['retry-after']));
        }
      }
    })();
    const valid: number[] = [];
    const client = (async () => {
      for (let i = 0; i < 40; i++) valid.push((await api(nyx.url, 'GET', '/api/v1/projects', { token: team.token })).status);
    })();
    await Promise.all([attack, client]);

    assert.deepEqual([...new Set(valid)], [200], 'the valid client is never refused');
    const refused = statuses.filter((s) => s === 429).length;
    const unauthorized = statuses.filter((s) => s === 401).length;
    assert.equal(refused + unauthorized, guesses, `only 401s and 429s: ${[...new Set(statuses)]}`);
    assert.ok(unauthorized >= BURST && unauthorized <= BURST + 10, `about the burst got through: ${unauthorized}`);
    assert.ok(retryAfters.every((value) => Number(value) >= 1), `Retry-After on every 429: ${retryAfters.slice(0, 3)}`);

    const [{ n: rowsAfter }] = await sql<{ n: number }>(nyx, `select count(*)::int as n from security_events`);
    assert.ok(rowsAfter - rowsBefore <= 4, `security_events grew by ${rowsAfter - rowsBefore} rows for ${guesses} guesses`);
    const counted = await sql<{ kind: string; total: number }>(
      nyx,
      `select kind, sum(count)::int as total from security_events where remote_address in (?, ?) group by kind`,
      [ATTACKER, `::ffff:${ATTACKER}`],
    );
    const invalid = counted.find((row) => row.kind === 'auth_invalid');
    assert.equal(invalid?.total, unauthorized, 'each failed authentication is counted, in aggregated rows');
    assert.ok(counted.some((row) => row.kind === 'auth_rate_limited'), 'the rate limiting itself is recorded');
  });

  it('caps security_events by pruning the oldest rows', async () => {
    await api(nyx.url, 'GET', '/api/v1/projects'); // at least one more event
    const [{ n: before }] = await sql<{ n: number }>(nyx, `select count(*)::int as n from security_events`);
    assert.ok(before >= 2, `rows to prune: ${before}`);
    const [newest] = await sql<{ id: string }>(nyx, `select id from security_events order by created_at desc, id desc limit 1`);
    assert.equal(await pruneSecurityEvents(nyx.database.orm, 1), before - 1);
    assert.deepEqual(await sql(nyx, `select id from security_events`), [newest], 'the newest row is kept');
  });

  it('serves /metrics to loopback with route templates, runs, pool and AI series', async () => {
    const projectId = (await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'metered' } })).body.id as string;
    assert.equal((await api(nyx.url, 'GET', `/api/v1/projects/${projectId}`, { token: team.token })).status, 200);
    const res = await rawRequest(nyx.url, '/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body, /nyx_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/projects\/:id",status="200"\} \d+/);
    assert.ok(!res.body.includes(projectId), 'raw paths (ids) never become labels');
    assert.match(res.body, /nyx_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/projects",status="429"\}/, 'refusals are timed too');
    for (const name of ['nyx_runs', 'nyx_sse_subscribers', 'nyx_ai_calls', 'nyx_ai_tokens', 'nyx_ai_cost_usd']) assert.match(res.body, new RegExp(`# TYPE ${name} gauge`));
    assert.ok((sample(res.body, 'nyx_db_pool_connections', 'state="max"') ?? 0) >= 1, 'pool size is reported');
  });

  it('hides /metrics from a non-loopback client without the metrics token', async function () {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) this.skip(); // no non-loopback interface on this machine
    const url = nyx.url.replace('0.0.0.0', external!.address);
    assert.equal((await rawRequest(url, '/metrics')).status, 404);
    assert.equal((await rawRequest(url, '/metrics', { headers: { authorization: 'Bearer wrong-token-wrong-token-00' } })).status, 404);
    assert.equal((await rawRequest(url, '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 200);
  });

  it('counts live SSE subscribers and returns to the baseline after 300 clients are killed', async function () {
    this.timeout(180_000);
    const scrape = async () => sample((await rawRequest(nyx.url, '/metrics')).body, 'nyx_sse_subscribers') ?? NaN;
    const baseline = await scrape();
    const streams = [];
    for (let i = 0; i < 300; i += 50) streams.push(...(await Promise.all(Array.from({ length: 50 }, () => openStream(nyx.url, '/api/v1/events', team.token)))));
    assert.deepEqual([...new Set(streams.map((s) => s.status))], [200]);
    await until('300 subscribers counted', async () => (await scrape()) >= baseline + 300);
    for (const stream of streams) stream.destroy();
    await until('the gauge back at its baseline', async () => (await scrape()) === baseline);
  });
});
