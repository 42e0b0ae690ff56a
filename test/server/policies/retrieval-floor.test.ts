import assert from 'node:assert/strict';
import { checkLabels, installStarterSet, qualityOf, readQueries, runQueries, type QueryOutcome } from '../../../bench/policies-retrieval.ts';
import { createTestTenant, sharedNyx } from '../helpers/nyx.ts';

/**
 * The floor under bench:policies (docs/policies.md, "Starter set and retrieval quality"): the
 * labelled questions through the real search route, on the starter set, with the local embedder.
 * Recall's floor is the target (the bench measured 0.956 when it was set); MRR's sits under
 * the 0.72-0.73 measured, since clauses that tie in a ranking are ordered by their random ids and
 * so land differently in each install. A regression of the search or of the starter texts fails.
 */
const HYBRID_RECALL_AT_5_FLOOR = 0.9;
const HYBRID_MRR_FLOOR = 0.65;

describe('policy retrieval: labelled questions on the starter set', () => {
  let outcomes: QueryOutcome[];
  const queries = readQueries();

  before(async function () {
    this.timeout(300_000);
    const nyx = await sharedNyx();
    const team = await createTestTenant(nyx, 'retrieval-floor');
    await installStarterSet(nyx.url, team.token);
    await checkLabels(nyx.url, team.token, queries);
    outcomes = await runQueries(nyx.url, team.token, queries);
  });

  it('has at least 60 labelled questions, each answered by at least one clause', () => {
    assert.ok(queries.length >= 60, `${queries.length} questions`);
    for (const query of queries) assert.ok(query.answers.length > 0, `"${query.q}" has no answer`);
    assert.equal(new Set(queries.map((query) => query.q)).size, queries.length, 'a question is listed twice');
  });

  it(`hybrid search finds an answering clause in the first 5 for at least ${HYBRID_RECALL_AT_5_FLOOR} of them`, () => {
    const hybrid = qualityOf(outcomes, 'hybrid');
    const missed = outcomes.filter((o) => o.rank.hybrid === null || o.rank.hybrid > 5).map((o) => `"${o.query.q}" (top: ${o.top.join(', ')})`);
    assert.ok(hybrid.recallAt5 >= HYBRID_RECALL_AT_5_FLOOR, `recall@5 ${hybrid.recallAt5.toFixed(3)} < ${HYBRID_RECALL_AT_5_FLOOR}; missed:\n  ${missed.join('\n  ')}`);
    assert.ok(hybrid.mrr >= HYBRID_MRR_FLOOR, `MRR@10 ${hybrid.mrr.toFixed(3)} < ${HYBRID_MRR_FLOOR}`);
  });

  // Recall, not MRR: with the local (hashing) embedder the vector ranking adds answers the words
  // miss, but does not put the right clause first more often than the words do (bench:policies).
  it('hybrid search finds at least as many answers in the first 5 as its text-only baseline', () => {
    const hybrid = qualityOf(outcomes, 'hybrid');
    const text = qualityOf(outcomes, 'text');
    assert.ok(hybrid.recallAt5 >= text.recallAt5, `hybrid recall@5 ${hybrid.recallAt5.toFixed(3)} < text-only ${text.recallAt5.toFixed(3)}`);
  });
});
