// docs/notes-and-memory.md: memory search asks HNSW for a project's nearest rows with an
// iterative scan (pgvector >= 0.8, `hnsw.iterative_scan = relaxed_order`, ef_search 100), so a
// project holding a small share of the rows still gets `limit` answers. Without it, an HNSW scan
// returns its ef_search nearest rows of ALL projects and the filter leaves a handful. Tested with
// the production functions (widenVectorScans + nearestBy) on the production table and index.
import assert from 'node:assert/strict';
import type { EntityManager } from '@mikro-orm/postgresql';
import { withTenant } from '#server/db/tenant-context.ts';
import { KNOWLEDGE_SOURCES, nearestBy, widenVectorScans } from '#server/modules/memory/sources.ts';
import { sql } from '../ai-api/helpers.ts';
import { api } from '../helpers/http.ts';
import { createTestTenant, sharedNyx, type TestNyx, type TestTenant } from '../helpers/nyx.ts';
import { prng } from '../helpers/prng.ts';

const EMBEDDER = 'test-vector-filter';
const LIMIT = 10;
const memory = KNOWLEDGE_SOURCES.find((source) => source.type === 'memory')!;

/** Makes the planner take the HNSW index for `order by embedding <=> q` even on a small table. */
async function preferHnsw(em: EntityManager): Promise<void> {
  await em.execute(`select set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
}

async function planOf(em: EntityManager, projectId: string, vector: number[]): Promise<string> {
  const literal = `[${vector.join(',')}]`;
  const rows = await em.execute<{ 'QUERY PLAN': string }[]>(
    `explain select id from memory_entries where project_id = ? and embedder = ? order by embedding <=> ?::vector limit ?`,
    [projectId, EMBEDDER, literal, LIMIT],
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

describe('memory search: HNSW under a project filter', () => {
  let nyx: TestNyx;
  let team: TestTenant;
  let small: string;
  let query: number[];

  before(async () => {
    nyx = await sharedNyx();
    team = await createTestTenant(nyx, 'vector-filter');
    const project = async (name: string) => (await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name } })).body.id as string;
    small = await project('small');
    const large = await project('large');
    // 600 rows in the large project, 24 (4 %) in the small one; vectors generated in the database.
    await sql(nyx, 'select setseed(0.2026)');
    for (const [projectId, count] of [[large, 600], [small, 24]] as const) {
      await sql(
        nyx,
        `insert into memory_entries (id, tenant_id, project_id, kind, text, source, embedding, embedder, created_at)
         select gen_random_uuid(), ?, ?, 'fact', 'row ' || g, 'user', (select array_agg(random() * 2 - 1) from generate_series(1, 1536) where g > 0)::vector, ?, now()
           from generate_series(1, ?) g`,
        [team.tenantId, projectId, EMBEDDER, count],
      );
    }
    const random = prng(7);
    query = Array.from({ length: 1536 }, () => random() * 2 - 1);
  });

  it('without the iterative scan the filter starves the result (the control); with it, the project gets its 10 nearest', async () => {
    const auth = { tenantId: team.tenantId, userId: team.userId };
    const exact = await withTenant(nyx.database.orm, auth, async (em) => {
      await em.execute(`select set_config('enable_indexscan', 'off', true)`);
      return nearestBy(em, memory, small, EMBEDDER, query, LIMIT);
    });
    assert.equal(exact.length, LIMIT, 'the exact search under the filter finds 10');

    const plain = await withTenant(nyx.database.orm, auth, async (em) => {
      await preferHnsw(em);
      assert.match(await planOf(em, small, query), /memory_entries_embedding_hnsw_index/, 'the plan reads the HNSW index');
      await em.execute(`select set_config('hnsw.iterative_scan', 'off', true), set_config('hnsw.ef_search', '40', true)`);
      return nearestBy(em, memory, small, EMBEDDER, query, LIMIT);
    });
    assert.ok(plain.length < LIMIT, `a plain HNSW scan (ef_search 40) kept ${plain.length} rows of the small project`);

    const widened = await withTenant(nyx.database.orm, auth, async (em) => {
      await preferHnsw(em);
      await widenVectorScans(em);
      const settings = await em.execute<{ scan: string; ef: string }[]>(`select current_setting('hnsw.iterative_scan') as scan, current_setting('hnsw.ef_search') as ef`);
      assert.deepEqual(settings[0], { scan: 'relaxed_order', ef: '100' });
      assert.match(await planOf(em, small, query), /memory_entries_embedding_hnsw_index/);
      return nearestBy(em, memory, small, EMBEDDER, query, LIMIT);
    });
    assert.equal(widened.length, LIMIT, 'the iterative scan kept going until it had 10 rows of the project');
    const exactIds = new Set(exact.map((hit) => hit.id));
    const found = widened.filter((hit) => exactIds.has(hit.id)).length;
    assert.ok(found >= 8, `recall@10 against the exact search under the same filter: ${found}/10`);
  });
});
