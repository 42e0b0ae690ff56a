import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { contractsOf } from '#server/feature.ts';
import { features } from '#server/features.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

const allContracts = contractsOf(features);

/** Sends bytes exactly as given (fetch would re-encode a path or a body). */
function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('input boundary: NUL, lone surrogates, deep nesting, null bodies, media types and URLs are 4xx naming the field', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let json: Record<string, string>;

  before(async function () {
    this.timeout(300_000); // starting the shared instance is slow on a loaded machine
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'boundary');
    json = { authorization: `Bearer ${team.token}`, 'content-type': 'application/json' };
  });

  async function projectNames(): Promise<string[]> {
    const res = await api(nyx.url, 'GET', '/api/v1/projects', { token: team.token });
    return res.body.items.map((item: { name: string }) => item.name);
  }

  const bodies: { name: string; raw: string | Buffer; field: string }[] = [
    { name: 'a NUL character in a string', raw: '{"name":"a\\u0000b"}', field: 'name' },
    { name: 'a lone high surrogate', raw: '{"name":"a\\ud800b"}', field: 'name' },
    { name: 'a lone low surrogate', raw: '{"name":"ok","description":"\\udc00"}', field: 'description' },
    { name: 'a NUL in a property name', raw: '{"name":"ok","a\\u0000":1}', field: 'body' },
    { name: 'bytes that are not UTF-8', raw: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), field: 'body' },
    { name: 'a JSON null', raw: 'null', field: 'body' },
    { name: 'a JSON array', raw: '[]', field: 'body' },
    { name: 'a JSON string', raw: '"name"', field: 'body' },
    { name: 'nesting 65 deep', raw: `{"name":"ok","settings":${'['.repeat(64)}${']'.repeat(64)}}`, field: 'body' },
  ];
  for (const testCase of bodies) {
    it(`refuses ${testCase.name} in a body with a 400 naming "${testCase.field}", writing nothing`, async () => {
      const before = await projectNames();
      const res = await rawRequest(nyx.url, 'POST', '/api/v1/projects', json, testCase.raw);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.field, testCase.field, JSON.stringify(res.body));
      assert.deepEqual(await projectNames(), before);
    });
  }

  it('refuses JSON nested 10,000 deep quickly, without overflowing the stack', async () => {
    const res = await rawRequest(nyx.url, 'POST', '/api/v1/projects', json, '['.repeat(10_000) + ']'.repeat(10_000));
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'body');
    assert.match(res.body.detail, /deeper than 64/);
    assert.ok(res.ms < 1000, `answered in ${Math.round(res.ms)} ms`);
    const strings = await rawRequest(nyx.url, 'POST', '/api/v1/projects', json, `{"name":"${'['.repeat(100)}"}`);
    assert.equal(strings.status, 201, 'brackets inside a string are text, not nesting');
  });

  it('PUT /api/v1/ai/budget with a null body is a 400 and keeps every limit', async () => {
    const set = await api(nyx.url, 'PUT', '/api/v1/ai/budget', { token: team.token, body: { dailyCostUsd: 5, monthlyTokens: 1000 } });
    assert.equal(set.status, 200);
    const res = await rawRequest(nyx.url, 'PUT', '/api/v1/ai/budget', json, 'null');
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'body');
    const after = await api(nyx.url, 'GET', '/api/v1/ai/budget', { token: team.token });
    assert.equal(after.body.limits.dailyCostUsd, 5);
    assert.equal(after.body.limits.monthlyTokens, 1000);
  });

  const mediaTypes: { type: string; status: number }[] = [
    { type: 'application/evil+json', status: 415 },
    { type: 'application/json; charset=utf-16', status: 415 },
    { type: 'application/json; charset=iso-8859-1', status: 415 },
    { type: 'text/json', status: 415 },
    { type: 'text/plain', status: 415 },
    { type: 'application/json; charset=UTF-8', status: 201 },
    { type: 'Application/JSON', status: 201 },
  ];
  for (const { type, status } of mediaTypes) {
    it(`answers ${status} to Content-Type "${type}"`, async () => {
      const before = await projectNames();
      const res = await rawRequest(nyx.url, 'POST', '/api/v1/projects', { ...json, 'content-type': type }, JSON.stringify({ name: `media ${type}` }));
      assert.equal(res.status, status, JSON.stringify(res.body));
      if (status === 415) {
        assert.equal(res.body.field, 'content-type');
        assert.deepEqual(await projectNames(), before);
      }
    });
  }

  const urls: { name: string; raw: string; field: string }[] = [
    { name: 'a NUL in a query value', raw: '/api/v1/runs?status=%00', field: 'query.status' },
    { name: 'invalid UTF-8 in a query value', raw: '/api/v1/runs?kind=%ED%A0%80', field: 'query.kind' },
    { name: 'a NUL in a path id', raw: '/api/v1/projects/%00', field: 'path' },
    { name: 'a surrogate encoded in a path id', raw: '/api/v1/projects/%ED%A0%80', field: 'path' },
    { name: 'a broken percent sequence in a path id', raw: '/api/v1/projects/%E0%A4', field: 'path' },
    { name: 'a NUL in a query of a route without one', raw: '/api/v1/me?x=%00', field: 'query.x' },
  ];
  for (const testCase of urls) {
    it(`refuses ${testCase.name} with a 400 naming "${testCase.field}"`, async () => {
      const res = await rawRequest(nyx.url, 'GET', testCase.raw, { authorization: `Bearer ${team.token}` });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.field, testCase.field);
    });
  }

  const badUrls = ['not a url', 'javascript:alert(1)', 'file:///etc/passwd', 'http://', 'http://user:pw@example.test/v1'];
  for (const baseUrl of badUrls) {
    it(`refuses baseUrl ${JSON.stringify(baseUrl)} on providers and models`, async () => {
      const provider = await api(nyx.url, 'PUT', '/api/v1/providers/openai-compatible', { token: team.token, body: { baseUrl } });
      assert.equal(provider.status, 400, JSON.stringify(provider.body));
      assert.equal(provider.body.field, 'baseUrl');
      const model = await api(nyx.url, 'POST', '/api/v1/models', { token: team.token, body: { provider: 'openai-compatible', id: 'm1', baseUrl } });
      assert.equal(model.status, 400, JSON.stringify(model.body));
      assert.equal(model.body.field, 'baseUrl');
    });
  }

  it('refuses a non-UUID in every uuid path parameter with a 400 naming it, on every route', async () => {
    let checked = 0;
    for (const contract of allContracts) {
      const uuidParams = [...contract.path.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((name) => name === 'id' || name === 'runId');
      if (!uuidParams.length || contract.path.startsWith('/api/v1/models/')) continue;
      for (const name of uuidParams) {
        const path = contract.path.replace(/:(\w+)/g, (_m, param: string) => (param === name ? 'not-a-uuid' : param === 'version' ? '1' : '00000000-0000-4000-8000-000000000000'));
        const res = await rawRequest(nyx.url, contract.method.toUpperCase(), path, json, contract.body ? '{}' : undefined);
        assert.equal(res.status, 400, `${contract.method} ${contract.path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.field, name, `${contract.method} ${contract.path}`);
        checked++;
      }
    }
    assert.ok(checked > 40, `checked ${checked} parameters`);
  });
});
