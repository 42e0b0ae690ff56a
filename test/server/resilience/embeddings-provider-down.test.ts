// Issue #14: notes and memory are saved while the embedding provider is down (errors or hangs),
// search answers by text and says so, and the vectors are filled in once the provider is back.
import assert from 'node:assert/strict';
import type { MemoryEntry, MemorySearchResult } from '#protocol/memory.ts';
import type { Note } from '#protocol/notes.ts';
import { startTestNyx, type TestNyx } from '../helpers/nyx.ts';
import { waitForFinalRun } from '../runs/helpers.ts';
import { sql, startProviderFakes, tenantWithProviders, type AiTenant, type ProviderFakes } from '../ai-api/helpers.ts';

const OPENAI_EMBEDDER = 'openai:text-embedding-3-small';

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('resilience: embeddings never block a write', () => {
  let nyx: TestNyx;
  let fakes: ProviderFakes;
  let team: AiTenant;
  let projectId: string;
  const call = <T = any>(method: string, path: string, body?: unknown) => team.client.call<T>(method, path, body === undefined ? {} : { body });

  before(async function () {
    this.timeout(300_000); // a fresh instance migrates a new database; slow on a loaded machine
    fakes = await startProviderFakes();
    // A short inline budget and a quick sweeper, so the test sees both paths in seconds.
    nyx = await startTestNyx({ embedInlineMs: 800, embedSweepMs: 250 });
    team = await tenantWithProviders(nyx, fakes, 'embed-down');
    projectId = (await call('POST', '/api/v1/projects', { name: 'resilient' })).body.id;
  });
  after(async () => {
    await nyx?.close();
    await fakes?.close();
  });

  it('embeds at once while the provider is up', async () => {
    const created = await call<MemoryEntry>('POST', `/api/v1/projects/${projectId}/memory`, { kind: 'decision', text: 'Leader election uses PostgreSQL advisory locks.' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.vectorPending, false);
    assert.equal(created.body.embedder, OPENAI_EMBEDDER);
  });

  it('with the provider failing: note and memory answer 201 and are stored; search answers 200 by text and says why', async () => {
    fakes.openai.setDefault({ status: 503, message: 'upstream down' });
    const note = await call<Note>('POST', `/api/v1/projects/${projectId}/notes`, { title: 'Advisory locks', body: 'Release advisory locks on shutdown to hand leadership over quickly.' });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    assert.equal(note.body.vectorPending, true);
    const stored = await call<Note>('GET', `/api/v1/notes/${note.body.id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.body, 'Release advisory locks on shutdown to hand leadership over quickly.');

    const memory = await call<MemoryEntry>('POST', `/api/v1/projects/${projectId}/memory`, { kind: 'fact', text: 'Advisory locks are session scoped in PostgreSQL.' });
    assert.equal(memory.status, 201, JSON.stringify(memory.body));
    assert.equal(memory.body.vectorPending, true);

    const search = await call<MemorySearchResult>('GET', `/api/v1/projects/${projectId}/memory/search?q=${encodeURIComponent('advisory locks')}`);
    assert.equal(search.status, 200, JSON.stringify(search.body));
    assert.deepEqual(search.body.ranking, { mode: 'text-only', reason: 'provider_unavailable', pendingVectors: 2 });
    const found = search.body.items.map((item) => item.id);
    for (const id of [note.body.id, memory.body.id]) assert.ok(found.includes(id), `the pending item ${id} is found by its text`);
    assert.ok(search.body.items.every((item) => item.vectorRank === null));

    const insights = await call('GET', `/api/v1/projects/${projectId}/workflow-insights?q=locks`);
    assert.equal(insights.status, 200, JSON.stringify(insights.body));
    assert.equal(insights.body.ranking.mode, 'text-only');
  });

  it('with the provider failing: a note enrichment still succeeds, retrieving by text, and says so', async () => {
    const note = (await call<Note>('GET', `/api/v1/projects/${projectId}/notes`)).body as unknown as { items: Note[] };
    const target = note.items.find((n) => n.title === 'Advisory locks')!;
    const started = await call('POST', `/api/v1/notes/${target.id}/enrich`);
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const run = await waitForFinalRun(nyx.url, team, started.body.id, 60_000);
    assert.equal(run.status, 'succeeded', run.error ?? '');
    const enriched = await call<Note>('GET', `/api/v1/notes/${target.id}`);
    assert.equal(enriched.body.enrichment?.retrieval, 'text-only');
    assert.ok(enriched.body.enrichment!.citations.some((c) => c.type === 'memory'), `the memory entries about advisory locks are cited: ${JSON.stringify(enriched.body.enrichment!.citations)}`);
  });

  it('with the provider hanging: a note still answers 201 within the inline budget, not the provider timeout', async () => {
    fakes.openai.setDefault({ hang: true });
    const started = Date.now();
    const note = await call<Note>('POST', `/api/v1/projects/${projectId}/notes`, { title: 'Hang', body: 'Written while the provider hangs.' });
    assert.equal(note.status, 201, JSON.stringify(note.body));
    assert.equal(note.body.vectorPending, true);
    assert.ok(Date.now() - started < 20_000, `answered after ${Date.now() - started} ms`);
  });

  it('fills every vector once the provider is back, and search is hybrid again', async () => {
    fakes.openai.setDefault({ text: 'ok' }); // the fake's normal behaviour: embeddings answer with vectors
    await until('every vector made', async () => {
      const [row] = await sql<{ pending: number; other: number }>(
        nyx,
        `select (select count(*)::int from notes where tenant_id = ? and embedding is null) + (select count(*)::int from memory_entries where tenant_id = ? and embedding is null) as pending,
                (select count(*)::int from notes where tenant_id = ? and embedder <> ?) as other`,
        [team.tenantId, team.tenantId, team.tenantId, OPENAI_EMBEDDER],
      );
      return row!.pending === 0 && row!.other === 0;
    });
    const notes = await call<{ items: Note[] }>('GET', `/api/v1/projects/${projectId}/notes`);
    assert.ok(notes.body.items.length === 2 && notes.body.items.every((n) => !n.vectorPending));
    const search = await call<MemorySearchResult>('GET', `/api/v1/projects/${projectId}/memory/search?q=${encodeURIComponent('advisory locks')}`);
    assert.equal(search.status, 200);
    assert.deepEqual(search.body.ranking, { mode: 'hybrid', reason: null, pendingVectors: 0 });
    assert.ok(search.body.items.some((item) => item.vectorRank !== null));
  });
});
