/**
 * Policy retrieval quality: recall@5 and MRR@10 of the clause search on the labelled query set.
 *
 * A real Nyx on the embedded database (PGlite): one tenant installs the starter set
 * (POST /api/v1/policies/starter), the background embedder gives every clause its vector, then
 * every question of test/fixtures/policies/queries.json goes through GET /api/v1/policies/search,
 * as the editor's search and the AI team's {{policies}} use it. Each answer carries the vector
 * and full-text ranks beside the fused one, so the same pass scores the hybrid search against its
 * baseline, text-only search (what the route answers while vectors are missing), and vector-only.
 * Target: hybrid recall@5 >= 0.9 with the local embedder (met / missed). The labels were written
 * with the questions, before any tuning, and the starter texts are what may change, never the labels.
 *
 * With a provider's embedder: NYX_BENCH_OPENAI_API_KEY (and NYX_BENCH_OPENAI_BASE_URL for an
 * OpenAI-compatible server) configures OpenAI for a second tenant, whose clauses and queries are
 * then embedded by text-embedding-3-small; its rows are printed beside the local ones.
 *
 * Quality is deterministic for a given embedder; the pass still runs NYX_BENCH_RUNS times and the
 * per-query latency of the route is reported as median (min–max).
 *
 * Run: npm run bench:policies. Knobs (env): NYX_BENCH_RUNS=5, NYX_BENCH_DATABASE_URL (a real
 * PostgreSQL instead of the embedded one), NYX_BENCH_VERBOSE=1 (every miss, not only the first 20).
 */
import { api } from '../test/server/helpers/http.ts';
import { createScratchDatabase, createTestTenant, startTestNyx } from '../test/server/helpers/nyx.ts';
import { describeTarget, formatSpread, printHeader, repeat, spreadOf, Table, verdict, type Target } from './measure.ts';
import { checkLabels, installStarterSet, MRR_DEPTH, qualityOf, readQueries, RECALL_DEPTH, runQueries, type QueryOutcome } from './policies-retrieval.ts';

const TARGET: Target = { atLeast: 0.9 };
const queries = readQueries();
const table = new Table(['embedder', 'search', `recall@${RECALL_DEPTH}`, `MRR@${MRR_DEPTH}`, 'recall vs text-only', 'MRR vs text-only', `target recall@${RECALL_DEPTH} ${describeTarget(TARGET)}`, 'ms per query']);
const missesToShow = process.env.NYX_BENCH_VERBOSE === '1' ? Infinity : 20;

async function benchEmbedder(label: string, provider: { apiKey: string; baseUrl?: string } | null): Promise<void> {
  const scratch = process.env.NYX_BENCH_DATABASE_URL ? await createScratchDatabase(process.env.NYX_BENCH_DATABASE_URL) : null;
  const nyx = await startTestNyx({ databaseUrl: scratch?.url ?? null, logLevel: 'silent' });
  try {
    const team = await createTestTenant(nyx, 'bench-policies');
    if (provider) {
      const configured = await api(nyx.url, 'PUT', '/api/v1/providers/openai', { token: team.token, body: provider });
      if (configured.status >= 300) throw new Error(`configuring OpenAI answered ${configured.status}: ${JSON.stringify(configured.body)}`);
    }
    const documents = await installStarterSet(nyx.url, team.token);
    const clauses = documents.reduce((sum, d) => sum + d.clauseCount, 0);
    console.error(`${label}: ${documents.length} starter policies, ${clauses} clauses embedded; ${queries.length} labelled questions`);
    await checkLabels(nyx.url, team.token, queries);

    let outcomes: QueryOutcome[] = [];
    const perQueryMs = await repeat(async () => {
      const started = performance.now();
      outcomes = await runQueries(nyx.url, team.token, queries);
      return (performance.now() - started) / queries.length;
    });
    const latency = formatSpread(spreadOf(perQueryMs), 1);
    const text = qualityOf(outcomes, 'text');
    const ratio = (value: number, base: number) => (base === 0 ? 'n/a (baseline 0)' : `${(value / base).toFixed(2)}x`);
    for (const search of ['hybrid', 'text', 'vector'] as const) {
      const quality = qualityOf(outcomes, search);
      table.add([
        label,
        search === 'text' ? 'text-only (baseline)' : search === 'vector' ? 'vector-only' : 'hybrid (the route)',
        quality.recallAt5.toFixed(3),
        quality.mrr.toFixed(3),
        ratio(quality.recallAt5, text.recallAt5),
        ratio(quality.mrr, text.mrr),
        search === 'hybrid' && !provider ? verdict(quality.recallAt5, TARGET) : search === 'hybrid' ? 'higher than local: see above' : '',
        search === 'hybrid' ? latency : '',
      ]);
    }
    const misses = outcomes.filter((o) => o.rank.hybrid === null || o.rank.hybrid > RECALL_DEPTH);
    console.log(`\n${label}: ${misses.length} of ${outcomes.length} questions without an answering clause in the first ${RECALL_DEPTH}${misses.length ? ':' : ''}`);
    for (const miss of misses.slice(0, missesToShow)) {
      const wanted = miss.query.answers.map((a) => `${a.doc}/${a.clause}`).join(' or ');
      console.log(`  - "${miss.query.q}" wants ${wanted}: hybrid rank ${miss.rank.hybrid ?? `>${MRR_DEPTH}`}, text ${miss.rank.text ?? '-'}, vector ${miss.rank.vector ?? '-'}; top ${miss.top.join(', ')}`);
    }
    if (misses.length > missesToShow) console.log(`  … ${misses.length - missesToShow} more (NYX_BENCH_VERBOSE=1 lists all)`);
  } finally {
    await nyx.close();
    await scratch?.drop();
  }
}

printHeader('bench:policies', { queries: queries.length, database: process.env.NYX_BENCH_DATABASE_URL ? 'PostgreSQL' : 'embedded (PGlite)', provider: process.env.NYX_BENCH_OPENAI_API_KEY ? 'openai' : 'none' });
await benchEmbedder('local (local-hash-v1)', null);
if (process.env.NYX_BENCH_OPENAI_API_KEY) {
  const baseUrl = process.env.NYX_BENCH_OPENAI_BASE_URL;
  await benchEmbedder('openai (text-embedding-3-small)', { apiKey: process.env.NYX_BENCH_OPENAI_API_KEY, ...(baseUrl ? { baseUrl } : {}) });
}
console.log('');
table.print();
process.exit(0);
