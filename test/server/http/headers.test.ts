import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

/** What every answer carries, whatever its status or type. */
function assertBaseline(headers: Headers, what: string): void {
  assert.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${what}: referrer policy`);
  assert.equal(headers.get('x-frame-options'), 'DENY', `${what}: frame protection`);
  assert.match(headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, `${what}: CSP frame-ancestors`);
}

describe('security headers on every API response', () => {
  let nyx: TestNyx;
  let team: TestTenant;

  before(async function () {
    this.timeout(300_000); // starting the shared instance is slow on a loaded machine
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'headers');
  });

  it('public JSON, errors and unknown routes carry nosniff, no-referrer and frame protection', async () => {
    const health = await api(nyx.url, 'GET', '/api/health');
    assertBaseline(health.headers, 'GET /api/health');
    assert.match(health.headers.get('content-security-policy')!, /default-src 'none'/);
    const unauthorized = await api(nyx.url, 'GET', '/api/v1/projects');
    assert.equal(unauthorized.status, 401);
    assertBaseline(unauthorized.headers, '401');
    assert.equal(unauthorized.headers.get('cache-control'), 'no-store');
    const missing = await fetch(new URL('/api/v1/nothing-here', nyx.url));
    assert.equal(missing.status, 404);
    assertBaseline(missing.headers, 'unknown route');
    const invalid = await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, rawBody: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(invalid.status, 400);
    assertBaseline(invalid.headers, '400');
  });

  it('authenticated answers are no-store, including downloads and images a handler would cache', async () => {
    const list = await api(nyx.url, 'GET', '/api/v1/projects', { token: team.token });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('cache-control'), 'no-store');
    assertBaseline(list.headers, 'GET /api/v1/projects');
    const personas = await api(nyx.url, 'GET', '/api/v1/personas?builtIn=true', { token: team.token });
    const portrait = await api(nyx.url, 'GET', `/api/v1/personas/${personas.body.items[0].id}/portrait.svg`, { token: team.token });
    assert.equal(portrait.status, 200);
    assert.match(portrait.headers.get('content-type')!, /^image\/svg\+xml/);
    assert.match(portrait.headers.get('cache-control')!, /no-store/);
    // The portrait's own CSP stays, with frames forbidden.
    assert.match(portrait.headers.get('content-security-policy')!, /default-src 'none'.*frame-ancestors 'none'/);
    assertBaseline(portrait.headers, 'portrait');
  });

  it('an event stream, whose headers go out before the handler returns, carries them too', async () => {
    const controller = new AbortController();
    const res = await fetch(new URL('/api/v1/events', nyx.url), { headers: { authorization: `Bearer ${team.token}` }, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    assertBaseline(res.headers, 'event stream');
    assert.match(res.headers.get('cache-control')!, /no-store/);
    controller.abort();
  });

  it('an HTML page gets a restrictive CSP with frame-ancestors none and X-Frame-Options DENY', async () => {
    const page = await fetch(new URL('/api/v1/analysis/rules/nyx/dangerous/dynamic-eval', nyx.url), { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src/, 'no scripts allowed on the rule page');
    assertBaseline(page.headers, 'rule page');
  });
});
