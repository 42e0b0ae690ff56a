import assert from 'node:assert/strict';
import { type SseMessage } from '#protocol/sse-client.ts';
import { openSubscribedStream } from '../helpers/event-stream.ts';
import type { Persona } from '#protocol/personas.ts';
import { generatePortraitSvg } from '#server/modules/personas/portrait.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { sql } from '../ai-api/helpers.ts';
import { builtInPersonas } from './helpers.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c626001000000050001a5f645400000000049454e44ae426082', 'hex');

describe('team: personas API', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  const call = <T = any>(who: TestTenant, method: string, path: string, body?: unknown) => api<T>(nyx.url, method, path, { token: who.token, body });

  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'personas');
    other = await createTestTenant(nyx, 'personas-other');
  });

  it('seeds the built-in library once per tenant, read-only, with the eight required roles', async () => {
    const [first, second] = await Promise.all([builtInPersonas(nyx, team), builtInPersonas(nyx, team)]);
    for (const key of ['security-auditor', 'performance-engineer', 'software-architect', 'test-engineer', 'refactoring-specialist', 'compliance-officer', 'accessibility-reviewer', 'devops-sre']) {
      assert.ok(first.has(key), `missing built-in ${key}`);
    }
    assert.equal(second.size, first.size);
    const rows = await sql<{ n: string }>(nyx, `select count(*) as n from personas where tenant_id = ? and built_in_key is not null`, [team.tenantId]);
    assert.equal(Number(rows[0]!.n), first.size, 'seeding twice must not duplicate');

    const auditor = first.get('security-auditor')!;
    assert.equal(auditor.builtIn, true);
    const edit = await call(team, 'PATCH', `/api/v1/personas/${auditor.id}`, { name: 'Mine now' });
    assert.equal(edit.status, 409);
    assert.match(edit.body.detail ?? edit.body.title ?? JSON.stringify(edit.body), /duplicate/);
    assert.equal((await call(team, 'DELETE', `/api/v1/personas/${auditor.id}`)).status, 409);

    const copy = await call<Persona>(team, 'POST', `/api/v1/personas/${auditor.id}/duplicate`);
    assert.equal(copy.status, 201);
    assert.equal(copy.body.builtIn, false);
    assert.equal(copy.body.systemPrompt, auditor.systemPrompt);
    const renamed = await call<Persona>(team, 'PATCH', `/api/v1/personas/${copy.body.id}`, { name: 'Our auditor' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Our auditor');
  });

  it('derives specializations from the description when none are given, and keeps explicit ones', async () => {
    const auto = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Auto', role: 'Reviewer', description: 'Hunts XSS and SQL injection vulnerabilities in the database layer.' });
    assert.equal(auto.status, 201, JSON.stringify(auto.body));
    assert.deepEqual(auto.body.specializations, ['security', 'data', 'architecture']);
    assert.equal(auto.body.specializationsSource, 'auto');
    const explicit = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Explicit', role: 'Reviewer', description: 'Hunts XSS vulnerabilities.', specializations: ['mobile'] });
    assert.deepEqual(explicit.body.specializations, ['mobile']);
    const redescribed = await call<Persona>(team, 'PATCH', `/api/v1/personas/${explicit.body.id}`, { description: 'Writes Kubernetes deployment pipelines.' });
    assert.deepEqual(redescribed.body.specializations, ['mobile'], 'explicit specializations are never recomputed');
    const filtered = await call<{ items: Persona[] }>(team, 'GET', '/api/v1/personas?category=mobile');
    assert.ok(filtered.body.items.some((p) => p.id === explicit.body.id));
    assert.ok(!filtered.body.items.some((p) => p.id === auto.body.id));
  });

  it('validates the default model against the tenant catalog and answers 400 naming fields', async () => {
    const unknown = await call(team, 'POST', '/api/v1/personas', { name: 'X', role: 'Y', defaultModel: 'gpt-99' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.field, 'defaultModel');
    const known = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'X', role: 'Y', defaultModel: 'gpt-4.1-mini' });
    assert.equal(known.status, 201);
    const badLevel = await call(team, 'POST', '/api/v1/personas', { name: 'X', role: 'Y', level: 'wizard' });
    assert.equal(badLevel.status, 400);
    assert.equal(badLevel.body.field, 'level');
    const count = await sql<{ n: string }>(nyx, `select count(*) as n from personas where tenant_id = ? and name = 'X'`, [team.tenantId]);
    assert.equal(Number(count[0]!.n), 1, 'a rejected persona writes nothing');
  });

  it('serves a deterministic generated SVG portrait', async () => {
    const created = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Grace Hopper', role: 'Compiler pioneer' });
    const first = await fetch(`${nyx.url}/api/v1/personas/${created.body.id}/portrait.svg`, { headers: { authorization: `Bearer ${team.token}` } });
    const svg = await first.text();
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /image\/svg\+xml/);
    assert.match(first.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(svg, generatePortraitSvg('Grace Hopper'));
    assert.match(svg, />GH</);
    assert.notEqual(generatePortraitSvg('Grace Hopper'), generatePortraitSvg('Ada Lovelace'));
    assert.equal(created.body.portrait.kind, 'generated');
  });

  it('accepts a real PNG, refuses mismatched bytes, active SVG and oversized images', async () => {
    const persona = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Pic', role: 'Model' });
    const path = `/api/v1/personas/${persona.body.id}/portrait`;
    const ok = await call<Persona>(team, 'PUT', path, { mediaType: 'image/png', dataBase64: PNG.toString('base64') });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.portrait.kind, 'uploaded');
    const served = await fetch(`${nyx.url}${path}`, { headers: { authorization: `Bearer ${team.token}` } });
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG);

    const lying = await call(team, 'PUT', path, { mediaType: 'image/jpeg', dataBase64: PNG.toString('base64') });
    assert.equal(lying.status, 400);
    assert.match(lying.body.detail, /not a image\/jpeg/);
    const script = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString('base64');
    const active = await call(team, 'PUT', path, { mediaType: 'image/svg+xml', dataBase64: script });
    assert.equal(active.status, 400);
    assert.match(active.body.detail, /script/);
    const handler = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect onload="x()"/></svg>').toString('base64');
    assert.equal((await call(team, 'PUT', path, { mediaType: 'image/svg+xml', dataBase64: handler })).status, 400);
    const big = Buffer.concat([PNG, Buffer.alloc(300 * 1024)]).toString('base64');
    assert.equal((await call(team, 'PUT', path, { mediaType: 'image/png', dataBase64: big })).status, 400);
    const cleanSvg = Buffer.from(generatePortraitSvg('Clean')).toString('base64');
    const clean = await call<Persona>(team, 'PUT', path, { mediaType: 'image/svg+xml', dataBase64: cleanSvg });
    assert.equal(clean.status, 200, JSON.stringify(clean.body));
    const reverted = await call<Persona>(team, 'DELETE', path);
    assert.equal(reverted.body.portrait.kind, 'generated');
  });

  it('refuses each kind of active SVG by name (nothing stored) and serves uploaded portraits with nosniff and a no-script CSP', async () => {
    const persona = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Svg Guard', role: 'Model' });
    const path = `/api/v1/personas/${persona.body.id}/portrait`;
    const svg = (inner: string, prolog = '') => `${prolog}<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">${inner}</svg>`;
    // One document per refused pattern (portrait.ts ACTIVE_SVG_CONTENT), each naming what was found.
    const refused: [string, string, RegExp][] = [
      ['script', svg('<script>alert(1)</script>'), /contains <script>/],
      ['event handler', svg('<rect width="8" height="8" onclick="x()"/>'), /event handler attribute/],
      ['javascript: URL', svg('<a href="javascript:alert(1)"><rect width="8" height="8"/></a>'), /javascript: URL/],
      ['foreignObject', svg('<foreignObject width="8" height="8"><div>x</div></foreignObject>'), /<foreignObject>/],
      ['entity declaration', svg('<text>&x;</text>', '<!DOCTYPE svg [<!ENTITY x "boom">]>'), /DOCTYPE or entity declaration/],
      ['embedded element', svg('<iframe src="about:blank"></iframe>'), /embedded or animated element/],
      ['animation', svg('<rect width="8" height="8"><animate attributeName="x" to="4"/></rect>'), /embedded or animated element/],
      ['external link', svg('<image href="https://evil.test/x.png" width="8" height="8"/>'), /link or reference to another document/],
      ['external url()', svg('<rect width="8" height="8" style="fill: url(https://evil.test/p.svg#g)"/>'), /url\(\.\.\.\) to another document/],
      ['processing instruction', svg('<rect width="8" height="8"/>', '<?xml-stylesheet type="text/css" ?>'), /processing instruction/],
    ];
    for (const [what, document, named] of refused) {
      const answer = await call(team, 'PUT', path, { mediaType: 'image/svg+xml', dataBase64: Buffer.from(document).toString('base64') });
      assert.equal(answer.status, 400, `${what}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.field, 'dataBase64', what);
      assert.match(answer.body.detail, named, what);
    }
    // Allowed look-alikes: in-document fragment references are static.
    const fragments = svg('<defs><linearGradient id="g"/></defs><rect width="8" height="8" fill="url(#g)"/><use href="#g"/>');
    const kept = await call<Persona>(team, 'PUT', path, { mediaType: 'image/svg+xml', dataBase64: Buffer.from(fragments).toString('base64') });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    const served = await fetch(`${nyx.url}${path}`, { headers: { authorization: `Bearer ${team.token}` } });
    assert.equal(served.status, 200);
    assert.equal(await served.text(), fragments, 'the last accepted SVG, byte for byte: no refused upload replaced it');
    assert.equal(served.headers.get('content-type'), 'image/svg+xml');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(served.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
    const png = await call<Persona>(team, 'PUT', path, { mediaType: 'image/png', dataBase64: PNG.toString('base64') });
    assert.equal(png.status, 200);
    const servedPng = await fetch(`${nyx.url}${path}`, { headers: { authorization: `Bearer ${team.token}` } });
    assert.equal(servedPng.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(servedPng.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
  });

  it('hides personas from other tenants (404, recorded) and pushes changes on the tenant stream', async () => {
    const messages: SseMessage[] = [];
    const stream = await openSubscribedStream(nyx, { url: `${nyx.url}/api/v1/events`, headers: { authorization: `Bearer ${team.token}` }, doneEvent: null, onMessage: (m) => messages.push(m) });
    const created = await call<Persona>(team, 'POST', '/api/v1/personas', { name: 'Private', role: 'Secret keeper' });
    await call(team, 'PATCH', `/api/v1/personas/${created.body.id}`, { role: 'Keeper' });
    for (const [method, path] of [
      ['GET', `/api/v1/personas/${created.body.id}`],
      ['PATCH', `/api/v1/personas/${created.body.id}`],
      ['DELETE', `/api/v1/personas/${created.body.id}`],
      ['GET', `/api/v1/personas/${created.body.id}/portrait.svg`],
      ['POST', `/api/v1/personas/${created.body.id}/duplicate`],
    ] as const) {
      const response = await call(other, method, path, method === 'PATCH' ? { role: 'stolen' } : undefined);
      assert.equal(response.status, 404, `${method} ${path}`);
    }
    const listed = await call<{ items: Persona[] }>(other, 'GET', '/api/v1/personas');
    assert.ok(!listed.body.items.some((p) => p.id === created.body.id));
    const events = await sql(nyx, `select * from security_events where tenant_id = ? and target = ?`, [other.tenantId, `persona:${created.body.id}`]);
    assert.ok(events.length >= 1, 'cross-tenant attempts are recorded');
    assert.equal((await call(team, 'DELETE', `/api/v1/personas/${created.body.id}`)).status, 204);
    const deadline = Date.now() + 5_000;
    const changes = () => messages.filter((m) => m.event === 'persona.changed').map((m) => JSON.parse(m.data)).filter((d) => d.personaId === created.body.id);
    while (changes().length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    stream.close();
    assert.deepEqual(changes().map((d) => d.change), ['created', 'updated', 'deleted']);
  });
});
