import assert from 'node:assert/strict';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { contractsOf } from '#server/feature.ts';
import { features } from '#server/features.ts';
import { ConformanceChecker } from '../helpers/conformance.ts';
import { api } from '../helpers/http.ts';
import { sharedNyx, type TestNyx } from '../helpers/nyx.ts';

const allContracts = contractsOf(features);

type Document = Record<string, any>;

describe('the OpenAPI document matches the server', () => {
  let nyx: TestNyx;
  let document: Document;

  before(async function () {
    this.timeout(300_000); // starting the shared instance is slow on a loaded machine
    nyx = await sharedNyx();
    document = (await api(nyx.url, 'GET', '/api/v1/openapi.json')).body;
  });

  function operations(): { path: string; method: string; operation: Document }[] {
    return Object.entries<Document>(document.paths).flatMap(([path, methods]) => Object.entries<Document>(methods).map(([method, operation]) => ({ path, method, operation })));
  }

  it('passes the Redocly linter (recommended rules) with 0 errors', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    const errors = problems.filter((problem) => problem.severity === 'error');
    assert.deepEqual(errors.map((error) => `${error.ruleId}: ${error.message} at ${error.location[0]?.pointer}`), []);
  });

  it('lists every contract once, with a unique operationId, servers and security', () => {
    const all = operations();
    assert.equal(all.length, allContracts.length);
    const ids = all.map(({ operation }) => operation.operationId);
    assert.ok(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id)), 'operationIds are identifiers');
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    assert.ok(document.servers?.length >= 1);
    assert.equal(document.components.securitySchemes.bearer.scheme, 'bearer');
    for (const contract of allContracts) {
      const operation = document.paths[contract.path.replace(/[:*](\w+)/g, '{$1}')][contract.method];
      assert.deepEqual(operation.security, contract.auth ? [{ bearer: [] }] : [], `${contract.method} ${contract.path}`);
      if (contract.auth) assert.ok(operation.responses['401'], `${operation.operationId} documents 401`);
    }
  });

  it('declares id path parameters as uuid and documents their 404 and the 400', () => {
    let uuids = 0;
    for (const { path, operation } of operations()) {
      assert.ok(operation.responses['400'], `${operation.operationId} documents 400`);
      for (const parameter of operation.parameters.filter((p: Document) => p.in === 'path')) {
        assert.ok(operation.responses['404'], `${operation.operationId} documents 404`);
        // A model's id is the provider's name for it (gpt-4o), not a row id.
        if ((parameter.name === 'id' || parameter.name === 'runId') && !path.startsWith('/api/v1/models/')) {
          assert.equal(parameter.schema.format, 'uuid', `${path} ${parameter.name}`);
          uuids++;
        }
      }
    }
    assert.ok(uuids > 40);
  });

  it('documents the raw bodies and the other success statuses', () => {
    const op = (path: string, method: string) => document.paths[path][method];
    assert.ok(op('/api/v1/runs/{id}/events', 'get').responses['200'].content['text/event-stream']);
    assert.ok(op('/api/v1/events', 'get').responses['200'].content['text/event-stream']);
    assert.ok(op('/api/v1/reports/{id}/export.md', 'get').responses['200'].content['text/markdown']);
    assert.ok(op('/api/v1/reports/{id}/export.pdf', 'get').responses['200'].content['application/pdf']);
    assert.ok(op('/api/v1/personas/{id}/portrait.svg', 'get').responses['200'].content['image/svg+xml']);
    assert.ok(op('/api/v1/analysis/rules/{ruleId}', 'get').responses['200'].content['text/html']);
    assert.ok(op('/api/v1/blobs/{sha256}', 'put').requestBody.content['application/octet-stream']);
    const analyses = op('/api/v1/projects/{id}/analyses', 'post').responses;
    assert.ok(analyses['201'] && analyses['200'], 'a deduplicated analysis answers 200');
    const projects = op('/api/v1/projects', 'post').responses;
    for (const status of ['400', '401', '413', '415']) assert.equal(projects[status].content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
  });

  describe('the conformance checker that the api() helper runs on every response', () => {
    it('accepts a real response and rejects it under a deliberately wrong schema', async () => {
      const res = await fetch(new URL('/api/health', nyx.url));
      const body = await res.json();
      const right = new ConformanceChecker(document);
      assert.deepEqual(right.check('GET', '/api/health', res.status, res.headers.get('content-type'), body), []);

      const wrong = structuredClone(document);
      wrong.paths['/api/health'].get.responses['200'].content['application/json'].schema.properties.version = { type: 'integer' };
      const problems = new ConformanceChecker(wrong).check('GET', '/api/health', res.status, res.headers.get('content-type'), body);
      assert.equal(problems.length, 1);
      assert.match(problems[0], /healthHealth .* body\/version must be integer/);
    });

    it('rejects an undocumented status and an undocumented content type', () => {
      const checker = new ConformanceChecker(document);
      assert.match(checker.check('GET', '/api/health', 418, 'application/problem+json', {})[0], /does not list/);
      assert.match(checker.check('GET', '/api/health', 200, 'text/html', '<p>')[0], /content type "text\/html"/);
      assert.deepEqual(checker.check('GET', '/nowhere', 200, 'text/html', ''), [], 'paths outside the document are not checked');
    });

    it('picks the literal route over the parameterised one, as the router does', () => {
      const checker = new ConformanceChecker(document);
      assert.deepEqual(checker.check('GET', '/api/v1/personas/categories', 401, 'application/problem+json', problem(401)), []);
      assert.match(checker.check('GET', '/api/v1/personas/categories', 200, 'application/json', { wrong: true })[0], /personasCategories/);
    });
  });
});

function problem(status: number): Document {
  return { type: 'https://nyx.dev/problems/x', title: 'x', status, detail: 'x', code: 'x' };
}
