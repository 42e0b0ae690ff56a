import assert from 'node:assert/strict';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';

describe('bad input is refused with the field named, and nothing is written', () => {
  let nyx: TestNyx;
  let team: TestTenant;

  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'bad-input');
  });

  async function projectCount(): Promise<number> {
    const res = await api(nyx.url, 'GET', '/api/v1/projects', { token: team.token });
    return res.body.items.length;
  }

  const cases: { name: string; request: { body?: unknown; rawBody?: string; headers?: Record<string, string> }; status: number; field: string; detail?: RegExp }[] = [
    { name: 'malformed JSON', request: { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } }, status: 400, field: 'body', detail: /not valid JSON/ },
    { name: 'a wrong type', request: { body: { name: 42 } }, status: 400, field: 'name' },
    { name: 'an unknown field', request: { body: { name: 'ok', colour: 'red' } }, status: 400, field: 'colour' },
    { name: 'an over-long string', request: { body: { name: 'x'.repeat(201) } }, status: 400, field: 'name' },
    { name: 'an empty name', request: { body: { name: '   ' } }, status: 400, field: 'name' },
    { name: 'a nested wrong field', request: { body: { name: 'ok', github: { owner: 'a b', repo: 'r' } } }, status: 400, field: 'github.owner' },
    { name: 'a scan path that escapes the repository', request: { body: { name: 'ok', scanPath: 'src/../../etc' } }, status: 400, field: 'scanPath' },
    { name: 'an oversized body', request: { body: { name: 'big', description: 'x'.repeat(2 * 1024 * 1024) } }, status: 413, field: 'body' },
    { name: 'a body that is not JSON', request: { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, status: 415, field: '' },
  ];

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const before = await projectCount();
      const res = await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, ...testCase.request });
      assert.equal(res.status, testCase.status, JSON.stringify(res.body));
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      if (testCase.field) {
        assert.equal(res.body.field, testCase.field);
        assert.ok(res.body.detail.includes(testCase.field), `detail names the field: ${res.body.detail}`);
      }
      if (testCase.detail) assert.match(res.body.detail, testCase.detail);
      assert.equal(await projectCount(), before, 'no project was written');
    });
  }

  it('refuses an update with a bad field and leaves the project as it was', async () => {
    const created = await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'stable' } });
    const res = await api(nyx.url, 'PATCH', `/api/v1/projects/${created.body.id}`, { token: team.token, body: { name: 'new', settings: 'nope' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'settings');
    const after = await api(nyx.url, 'GET', `/api/v1/projects/${created.body.id}`, { token: team.token });
    assert.equal(after.body.name, 'stable');
  });

  it('refuses an id that is not a uuid, naming it', async () => {
    const res = await api(nyx.url, 'GET', '/api/v1/projects/not-a-uuid', { token: team.token });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'id');
  });

  it('answers an unknown route with a problem document, not a stack trace', async () => {
    const res = await api(nyx.url, 'GET', '/api/v1/nope', { token: team.token });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'not_found');
  });
});
