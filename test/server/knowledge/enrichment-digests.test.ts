import assert from 'node:assert/strict';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { call, createProject, fetchBytes, runToEnd } from './helpers.ts';

/** Only Anthropic is configured (pointed at the loopback fake): chat goes there, embeddings stay local. */
async function tenantWithAnthropic(nyx: TestNyx, fake: FakeAnthropic): Promise<TestTenant> {
  const tenant = await createTestTenant(nyx, 'enrich');
  await call(nyx, tenant, 'PUT', '/api/v1/providers/anthropic', 200, { apiKey: `sk-ant-api03-${'x'.repeat(40)}`, baseUrl: fake.url });
  return tenant;
}

const MEMORY = [
  { kind: 'decision', text: 'Retries use exponential backoff with jitter, capped at 30 seconds' },
  { kind: 'convention', text: 'Every retry loop logs the attempt number and the backoff delay' },
  { kind: 'fact', text: 'The payment gateway rate limits to 20 requests per second' },
];

describe('note enrichment: cites exactly what it retrieved', () => {
  let nyx: TestNyx;
  let fake: FakeAnthropic;
  before(async () => {
    nyx = await sharedNyx();
    fake = await startFakeAnthropic();
  });
  after(() => fake.close());

  async function seed(who: TestTenant, name: string) {
    const projectId = await createProject(nyx, who, name);
    const memory = [];
    for (const entry of MEMORY) memory.push(await call(nyx, who, 'POST', `/api/v1/projects/${projectId}/memory`, 201, entry));
    const note = await call(nyx, who, 'POST', `/api/v1/projects/${projectId}/notes`, 201, {
      title: 'Retry loop in the payment client',
      body: 'The retry loop has no backoff and hammers the payment gateway.',
      location: { path: 'src/payments/client.ts', startLine: 40, endLine: 58 },
    });
    return { projectId, memory, note };
  }

  it('with a model (loopback Anthropic): the prompt holds the retrieved items, the note cites them all', async () => {
    const team = await tenantWithAnthropic(nyx, fake);
    const { memory, note } = await seed(team, 'Enrich with model');
    fake.plan({ text: 'Add exponential backoff with jitter [M1], and log each attempt [M2].' });
    const before = fake.requests.length;
    const run = await call(nyx, team, 'POST', `/api/v1/notes/${note.id}/enrich`, 201);
    assert.equal(run.kind, 'note-enrichment');
    await runToEnd(nyx, team, run.id);
    const enriched = (await call(nyx, team, 'GET', `/api/v1/notes/${note.id}`, 200)).enrichment;
    assert.ok(enriched, 'the note carries its enrichment');
    assert.equal(enriched.runId, run.id);
    assert.match(enriched.model, /^anthropic\//);
    const cited = enriched.citations.filter((c: { type: string }) => c.type === 'memory');
    assert.deepEqual(new Set(cited.map((c: { id: string }) => c.id)), new Set(memory.map((m) => m.id)), 'all three memory entries retrieved and cited');
    const similarities = cited.map((c: { similarity: number }) => c.similarity);
    assert.deepEqual(similarities, [...similarities].sort((a, b) => b - a), 'closest first');
    const prompt = JSON.stringify(fake.requests.slice(before).map((r) => r.body));
    for (const citation of enriched.citations) {
      assert.ok(prompt.includes(citation.id), `the model saw ${citation.ref} (${citation.id})`);
      assert.ok(enriched.markdown.includes(`[${citation.ref}]`) && enriched.markdown.includes(citation.id), `Sources lists ${citation.ref}`);
    }
    assert.ok(enriched.markdown.startsWith('Add exponential backoff'));
  });

  it('without a provider: a deterministic template that cites the same kind of items', async () => {
    const team = await createTestTenant(nyx, 'enrich-template');
    const { memory, note } = await seed(team, 'Enrich without model');
    const run = await call(nyx, team, 'POST', `/api/v1/notes/${note.id}/enrich`, 201);
    await runToEnd(nyx, team, run.id);
    const enriched = (await call(nyx, team, 'GET', `/api/v1/notes/${note.id}`, 200)).enrichment;
    assert.equal(enriched.model, null);
    assert.deepEqual(new Set(enriched.citations.map((c: { id: string }) => c.id)), new Set(memory.map((m) => m.id)));
    assert.ok(enriched.markdown.includes('exponential backoff'), 'the template quotes the retrieved text');
    assert.ok(enriched.markdown.includes('## Sources'));
    assert.match(enriched.markdown, /^### Memories$/m, 'the section of memory entries, in English');
    assert.doesNotMatch(enriched.markdown, /Memorys/);
  });
});

describe('digests: a period\'s post, summary, status, export', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'digest');
  });

  it('writes a draft digest and a digest report from the period\'s activity, then publishes it', async () => {
    const projectId = await createProject(nyx, team, 'Digest project');
    await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/memory`, 201, { kind: 'decision', text: 'Adopt pgvector HNSW for search' });
    await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/notes`, 201, { title: 'Check the index build time' });
    const selftest = await call(nyx, team, 'POST', '/api/v1/runs', 201, { kind: 'selftest', projectId, input: { events: 1, seconds: 0 } });
    await runToEnd(nyx, team, selftest.id);
    const periodEnd = new Date(Date.now() + 1000).toISOString();
    const run = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/digests`, 201, { periodEnd });
    assert.equal(run.kind, 'digest');
    await runToEnd(nyx, team, run.id);
    const [digest] = (await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/digests`, 200)).items;
    assert.equal(digest.status, 'draft');
    assert.equal(digest.runId, run.id);
    assert.equal(digest.periodEnd, periodEnd);
    assert.ok(digest.summary.thingsDone.includes('1 selftest run completed'), JSON.stringify(digest.summary));
    assert.ok(digest.summary.thingsDone.includes('1 note written'));
    assert.ok(digest.summary.successes.some((s: string) => s.includes('Adopt pgvector HNSW')));
    assert.deepEqual(digest.summary.pains, []);
    assert.match(digest.markdown, /^# What happened on Digest project/);
    const report = await call(nyx, team, 'GET', `/api/v1/reports/${digest.reportId}`, 200);
    assert.equal(report.kind, 'digest');
    assert.equal(report.markdown, digest.markdown);
    const exported = await fetchBytes(nyx, team, `/api/v1/reports/${digest.reportId}/export.md`);
    assert.equal(exported.bytes.toString('utf8'), digest.markdown);
    const published = await call(nyx, team, 'PATCH', `/api/v1/digests/${digest.id}`, 200, { status: 'published' });
    assert.equal(published.status, 'published');
    assert.ok(published.publishedAt);
    assert.equal((await call(nyx, team, 'GET', `/api/v1/projects/${projectId}/digests?status=draft`, 200)).items.length, 0);
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const projectId = await createProject(nyx, team, 'Digest bad input');
    const bad = await call(nyx, team, 'POST', `/api/v1/projects/${projectId}/digests`, 400, { periodStart: '2026-02-01T00:00:00Z', periodEnd: '2026-01-01T00:00:00Z' });
    assert.equal(bad.field, 'periodStart');
  });
});
