import assert from 'node:assert/strict';
import type { TestNyx, TestTenant } from '../helpers/nyx.ts';
import { rememberFromRun } from '#server/modules/memory/service.ts';
import { reciprocalRankFusion } from '#server/modules/memory/search.ts';
import { call, createProject, teamWithProject } from './helpers.ts';
import { insertFinishedRun } from '../helpers/rows.ts';

describe('notes and memory: CRUD, hybrid search, consolidation', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let other: TestTenant;
  let projectId: string;
  before(async () => ({ nyx, team, other, projectId } = await teamWithProject('notes', 'Notes project')));

  it('creates a note on a file range, lists it per project and file, updates and deletes it', async () => {
    const location = { path: 'src/app.ts', startLine: 10, startColumn: 1, endLine: 12, endColumn: 5 };
    const note = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/notes`, 201, { title: 'Retry loop', body: 'This retries forever', location });
    assert.deepEqual(note.location, location);
    assert.equal(note.enrichment, null);
    await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/notes`, 201, { title: 'Loose thought' });
    assert.equal((await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/notes`, 200)).items.length, 2);
    assert.deepEqual((await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/notes?path=src/app.ts`, 200)).items.map((n: { id: string }) => n.id), [note.id]);
    const updated = await call(nyx, team, 'PATCH', `/api/v1/notes/${note.id}`, 200, { body: 'Retries with backoff now', location: null });
    assert.equal(updated.body, 'Retries with backoff now');
    assert.equal(updated.location, null);
    await call(nyx, team, 'DELETE', `/api/v1/notes/${note.id}`, 204);
    await call(nyx, team, 'GET', `/api/v1/notes/${note.id}`, 404);
  });

  it('refuses a range that ends before it starts, naming the field, and writes nothing', async () => {
    const before = (await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/notes`, 200)).items.length;
    const bad = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/notes`, 400, { title: 'x', location: { path: 'a.ts', startLine: 5, endLine: 2 } });
    assert.equal(bad.field, 'location.endLine');
    assert.equal((await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/notes`, 200)).items.length, before);
  });

  it('hides notes, memory and searches from another tenant (404)', async () => {
    const note = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/notes`, 201, { title: 'Private' });
    const entry = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/memory`, 201, { kind: 'fact', text: 'Private fact' });
    await call(nyx, other, 'GET', `/api/v1/notes/${note.id}`, 404);
    await call(nyx, other, 'PATCH', `/api/v1/notes/${note.id}`, 404, { title: 'mine' });
    await call(nyx, other, 'DELETE', `/api/v1/notes/${note.id}`, 404);
    await call(nyx, other, 'POST', `/api/v1/notes/${note.id}/enrich`, 404);
    await call(nyx, other, 'GET', `/api/v1/memory/${entry.id}`, 404);
    await call(nyx, other, 'DELETE', `/api/v1/memory/${entry.id}`, 404);
    await call(nyx, other, 'GET', `/api/v1/projects/${projectId}/memory/search?q=private`, 404);
    await call(nyx, other, 'GET', `/api/v1/projects/${projectId}/notes`, 404);
    assert.equal((await call(nyx, team, 'GET', `/api/v1/notes/${note.id}`, 200)).title, 'Private');
  });

  it('embeds memory entries with the local embedder when no key is configured, and lists them by kind', async () => {
    const entry = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/memory`, 201, { kind: 'convention', text: 'Use snake_case for SQL columns' });
    assert.equal(entry.embedder, 'local-hash-v1');
    assert.equal(entry.source, 'user');
    const conventions = await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/memory?kind=convention`, 200);
    assert.ok(conventions.items.some((e: { id: string }) => e.id === entry.id));
    assert.ok(conventions.items.every((e: { kind: string }) => e.kind === 'convention'));
  });

  it('search fuses vector and full-text rankings and says where each hit came from', async () => {
    const project = await createProject(nyx, team, 'Search project');
    const decision = await call(nyx, team, 'POST', `/api/v1/projects/${project}/memory`, 201, { kind: 'decision', text: 'We chose PostgreSQL advisory locks for migrations' });
    await call(nyx, team, 'POST', `/api/v1/projects/${project}/memory`, 201, { kind: 'fact', text: 'The CDN caches images for one day' });
    const note = await call(nyx, team, 'POST', `/api/v1/projects/${project}/notes`, 201, { title: 'Locks', body: 'advisory locks held across deploys' });
    const result = await call(nyx, team, 'GET', `/api/v1/projects/${project}/memory/search?q=${encodeURIComponent('advisory locks')}`, 200);
    assert.ok(result.searched.includes('memory') && result.searched.includes('note') && result.searched.includes('code_pattern'));
    const [first, second] = result.items;
    assert.deepEqual(new Set([first.id, second.id]), new Set([decision.id, note.id]), JSON.stringify(result.items));
    for (const hit of [first, second]) {
      assert.ok(hit.vectorRank !== null && hit.textRank !== null, 'found by both rankings');
      assert.ok(hit.similarity > 0);
    }
    assert.equal(result.items.find((h: { id: string }) => h.id === note.id).type, 'note');
    assert.equal(result.items.find((h: { id: string }) => h.id === decision.id).type, 'memory');
    const cdn = result.items.find((h: { title: string }) => h.title.includes('CDN'));
    assert.equal(cdn?.textRank ?? null, null, 'no text match for an unrelated entry');
    assert.ok(!cdn || cdn.score < second.score);
  });

  it('reciprocal rank fusion puts an item found by both rankings above items found by one', () => {
    const c = (id: string, score: number) => ({ type: 'memory' as const, id, title: id, snippet: '', score });
    const fused = reciprocalRankFusion([c('a', 0.9), c('b', 0.8)], [c('c', 2), c('b', 1)], 10);
    assert.deepEqual(fused.map((h) => h.id), ['b', 'a', 'c']);
    assert.equal(fused[0]!.score, 1 / 62 + 1 / 62);
  });

  it('finds consolidation patterns: clusters of near-duplicate entries, not unrelated ones', async () => {
    const project = await createProject(nyx, team, 'Consolidation project');
    const texts = ['Always use tabs for indentation in Python files', 'Use tabs for indentation in all Python files', 'Python files always use tabs for indentation'];
    const ids = [];
    for (const text of texts) ids.push((await call(nyx, team, 'POST', `/api/v1/projects/${project}/memory`, 201, { kind: 'convention', text })).id);
    await call(nyx, team, 'POST', `/api/v1/projects/${project}/memory`, 201, { kind: 'fact', text: 'The staging database is restored every Monday' });
    const { items } = await call(nyx, team, 'GET', `/api/v1/projects/${project}/memory/consolidation`, 200);
    assert.equal(items.length, 1, JSON.stringify(items));
    assert.deepEqual(new Set(items[0].entryIds), new Set(ids));
    assert.equal(items[0].id, ids[0]);
    assert.match(items[0].theme, /tabs|indentation|python/);
  });

  it('rememberFromRun writes entries with their source once per run and text', async () => {
    const scope = { tenantId: team.tenantId, userId: team.userId };
    const runId = await insertFinishedRun(nyx, scope, projectId);
    const input = { projectId, runId, source: 'autofix' as const, items: [{ kind: 'fact' as const, text: 'Fixed SQL injection in the login form' }] };
    const first = await rememberFromRun(nyx.services, scope, input);
    const again = await rememberFromRun(nyx.services, scope, input);
    assert.equal(first.length, 1);
    assert.equal(again.length, 0);
    assert.equal(first[0]!.source, 'autofix');
    assert.equal(first[0]!.sourceRunId, runId);
  });
});
