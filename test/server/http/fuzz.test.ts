import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { serverConformance } from '../helpers/conformance.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, startTestNyx, TEST_DB, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { prng } from '../helpers/prng.ts';
import {
  BAD_CONTENT_TYPES, BAD_PATH_VALUES, BAD_QUERY_VALUES, fieldsOf, MALFORMED_BODIES, pick, POISON_STRINGS,
  sampleOf, withField, wrongTypeFor, type FuzzRequest, type Schema,
} from './fuzz-inputs.ts';

/**
 * Walks the OpenAPI document the server serves and sends malformed variants of every
 * operation's request: bad path ids (and another tenant's), bad query values, bodies that are
 * not objects, not JSON, not UTF-8 or nested too deep, wrong media types, and plausible bodies
 * with one field poisoned (NUL, lone surrogate, wrong type, missing). Every answer must be a
 * documented 4xx; afterwards the server is healthy and no tenant table gained or lost a row.
 */
const SEED = Number(process.env.NYX_FUZZ_SEED ?? 14);
const BODY_LIMIT = 64 * 1024;

interface Operation {
  id: string;
  method: string;
  path: string;
  auth: boolean;
  parameters: { name: string; in: string; schema: Schema }[];
  body?: Schema;
  rawBody?: string;
}

function send(baseUrl: string, request: FuzzRequest): Promise<{ status: number; contentType: string | null; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(baseUrl);
    const req = httpRequest({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers }, (res) => {
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        // An accepted stream never ends by itself: its status and headers are the answer.
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: '' });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end(request.body);
  });
}

describe(`API fuzz: malformed variants of every operation are 4xx, documented, and write nothing (${TEST_DB}, seed ${SEED})`, () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  let operations: Operation[];
  /** Real ids of the caller's own rows, so a path is valid except for the part under test. */
  const ownIds: Record<string, string> = {};
  let otherTenantProjectId: string;

  before(async function () {
    this.timeout(300_000); // its own instance: small body limits, and no other suite writing meanwhile
    nyx = await startTestNyx({ bodyLimitBytes: BODY_LIMIT, snapshotBodyLimitBytes: 2 * BODY_LIMIT, maxBlobBytes: BODY_LIMIT });
    team = await createTestTenant(nyx, 'fuzz');
    other = await createTestTenant(nyx, 'fuzz-other');
    ownIds.project = (await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'fuzz target' } })).body.id;
    otherTenantProjectId = (await api(nyx.url, 'POST', '/api/v1/projects', { token: other.token, body: { name: 'someone else' } })).body.id;
    // Built-in personas and workflows are copied into a tenant on its first read: do it now, so the
    // row counts compare only what the fuzz itself could write.
    for (const who of [team, other]) {
      for (const path of ['/api/v1/personas', '/api/v1/workflows']) assert.equal((await api(nyx.url, 'GET', path, { token: who.token })).status, 200);
    }
    const document = (await api(nyx.url, 'GET', '/api/v1/openapi.json')).body;
    operations = Object.entries<Record<string, Schema>>(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        auth: operation.security.length > 0,
        parameters: operation.parameters,
        body: operation.requestBody?.content['application/json']?.schema,
        rawBody: operation.requestBody && !operation.requestBody.content['application/json'] ? Object.keys(operation.requestBody.content)[0] : undefined,
      })),
    );
  });

  after(async () => {
    await nyx?.close();
  });

  async function rowCounts(): Promise<Record<string, number>> {
    const em = nyx.database.orm.em.fork();
    const tables = await em.execute<{ table_name: string }[]>(
      `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' order by 1`,
    );
    const counts: Record<string, number> = {};
    // security_events records refused requests by design (H3 caps it); it is not tenant data.
    for (const { table_name: table } of tables.filter((row) => row.table_name !== 'security_events')) {
      const [row] = await em.execute<{ n: string }[]>(`select count(*)::text as n from "${table}"`);
      counts[table] = Number(row.n);
    }
    return counts;
  }

  /** The path with each parameter filled: own ids where known, the override where given. */
  function pathFor(operation: Operation, override: Record<string, string> = {}): string {
    return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      if (name in override) return override[name];
      if (name === 'sha256') return 'a'.repeat(64);
      if (name === 'provider') return 'openai';
      if (name === 'version') return '1';
      if (name === 'ruleId') return 'nyx/dangerous/dynamic-eval';
      return operation.path.startsWith('/api/v1/projects/{id}') ? ownIds.project : randomUUID();
    });
  }

  function variants(operation: Operation, random: () => number): FuzzRequest[] {
    const headers: Record<string, string> = operation.auth ? { authorization: `Bearer ${team.token}` } : {};
    const json = { ...headers, 'content-type': 'application/json' };
    const base = operation.body ? sampleOf(operation.body) : undefined;
    const baseText = base === undefined ? undefined : JSON.stringify(base);
    const out: FuzzRequest[] = [];
    const add = (label: string, path: string, extraHeaders: Record<string, string>, body?: string | Buffer) =>
      out.push({ label, method: operation.method, path, headers: { ...extraHeaders }, body });

    // Path parameters: malformed, and another tenant's real id.
    for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
      for (const value of BAD_PATH_VALUES) add(`path ${parameter.name}=${value.slice(0, 20)}`, pathFor(operation, { [parameter.name]: value }), json, baseText);
      if (parameter.schema.format === 'uuid') add(`path ${parameter.name}=other tenant's id`, pathFor(operation, { [parameter.name]: otherTenantProjectId }), json, baseText);
    }
    // Query parameters: bad values, repeated, unknown; and NUL in a query any route ignores.
    for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
      for (const value of BAD_QUERY_VALUES) add(`query ${parameter.name}=${value.slice(0, 20)}`, `${pathFor(operation)}?${parameter.name}=${value}`, json, baseText);
      add(`query ${parameter.name} repeated`, `${pathFor(operation)}?${parameter.name}=1&${parameter.name}=2`, json, baseText);
    }
    add('query with NUL', `${pathFor(operation)}?zz=%00`, json, baseText);
    if (operation.auth) {
      add('no token', pathFor(operation), { 'content-type': 'application/json' }, baseText);
      add('malformed token', pathFor(operation), { ...json, authorization: 'Bearer \u00ff' }, baseText);
    }
    if (operation.rawBody) add('oversized raw body', pathFor(operation), { ...headers, 'content-type': operation.rawBody }, Buffer.alloc(3 * BODY_LIMIT, 0x61));
    if (!operation.body) return out;

    // Bodies: not an object, not JSON, not UTF-8, too deep, too large, wrong media type.
    for (const { label, body } of MALFORMED_BODIES) add(label, pathFor(operation), json, body);
    add('oversized body', pathFor(operation), json, JSON.stringify({ padding: 'x'.repeat(3 * BODY_LIMIT) }));
    for (const type of BAD_CONTENT_TYPES) add(`content-type ${type}`, pathFor(operation), { ...headers, 'content-type': type }, baseText ?? '{}');
    // One poisoned field in a plausible body: NUL, a lone surrogate, a wrong type, a NUL key.
    for (const field of fieldsOf(operation.body)) {
      const name = field.path.join('.');
      add(`${name} poisoned`, pathFor(operation), json, JSON.stringify(withField(base, field.path, pick(random, POISON_STRINGS))));
      const wrong = wrongTypeFor(field.schema);
      if (wrong !== undefined) add(`${name} wrong type`, pathFor(operation), json, JSON.stringify(withField(base, field.path, wrong)));
    }
    add('NUL in a key', pathFor(operation), json, JSON.stringify(withField(base, ['k\u0000'], 1)));
    for (const required of (operation.body.required ?? []) as string[]) {
      const missing = { ...(base as Record<string, unknown>) };
      delete missing[required];
      // Only a fault when something else is wrong too: a missing field alone may be valid (a default).
      add(`${required} missing, NUL elsewhere`, pathFor(operation), json, JSON.stringify({ ...missing, [`x${pick(random, POISON_STRINGS)}`]: 1 }));
    }
    return out;
  }

  it('answers every variant with a documented 4xx, stays healthy and writes nothing', async function () {
    this.timeout(240_000);
    const random = prng(SEED);
    const before = await rowCounts();
    const requests = operations.flatMap((operation) => variants(operation, random).map((request) => ({ operation, request })));
    assert.ok(requests.length > 1000 && requests.length < 6000, `${requests.length} requests`);
    const failures: string[] = [];
    const checker = serverConformance();
    let next = 0;
    let done = 0;
    const started = performance.now();
    // A few at a time: enough to overlap the server's work, not enough to look like a flood.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < requests.length) {
          const { operation, request } = requests[next++];
          const res = await send(nyx.url, request);
          const where = `${operation.id} [${request.label}] ${request.method} ${request.path.slice(0, 120)}`;
          done++;
          if (process.env.NYX_FUZZ_VERBOSE && done % 250 === 0) console.log(`  ${done}/${requests.length} in ${Math.round(performance.now() - started)} ms`);
          // A read may accept an odd but valid query; anything that writes must refuse.
          const refused = res.status >= 400 && res.status < 500;
          const harmlessRead = request.method === 'GET' && res.status < 300;
          if (!refused && !harmlessRead) failures.push(`${where} → ${res.status} ${res.text.slice(0, 200)}`);
          let body: unknown = res.text;
          try {
            body = JSON.parse(res.text);
          } catch {
            // a non-JSON answer is checked by content type only
          }
          for (const problem of checker.check(request.method, request.path, res.status, res.contentType, body)) failures.push(`${where}: ${problem}`);
        }
      }),
    );
    assert.deepEqual(failures.slice(0, 40), [], `${failures.length} of ${requests.length} answers were wrong`);
    const health = await api(nyx.url, 'GET', '/api/health/db');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.deepEqual(await rowCounts(), before, 'no tenant table changed');
  });
});
