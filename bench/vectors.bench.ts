/**
 * Vector search as production runs it, and PDF export.
 *
 * Vectors: a real Nyx (embedded PGlite, and a real PostgreSQL when NYX_BENCH_DATABASE_URL or
 * NYX_TEST_DATABASE_URL is set) with synthetic 1536-d rows in the production table
 * (memory_entries, clustered: 100 centres plus noise, generated inside the database) spread over
 * NYX_BENCH_PROJECTS projects of one tenant, and the production HNSW index (its definition read
 * back from the database, rebuilt after loading so the build is timed). Each query is the memory
 * search's own vector query: `withTenant` (RLS as nyx_app) + `widenVectorScans` (ef_search 100,
 * iterative scan) + `nearestBy` (project and embedder filter) from server/src/modules/memory,
 * for one project. The exact answer is the same call with index scans off. Reported: recall@10
 * against exact under the same filter, queries/s of both (median of NYX_BENCH_RUNS passes with the
 * spread), and the plan PostgreSQL chose for the production query (the index it read).
 *
 * PDF: NYX_BENCH_RUNS fresh renderers, each timing its first (cold: Chromium launch) render and
 * NYX_BENCH_PDF_WARM later ones.
 *
 * Run: npm run bench:vectors. Knobs (env): NYX_BENCH_RUNS=5  NYX_BENCH_PG_ROWS=100000
 * NYX_BENCH_EMBEDDED_ROWS=20000  NYX_BENCH_PROJECTS=20  NYX_BENCH_QUERIES=50  NYX_BENCH_PDF_WARM=5
 * NYX_BENCH_EMBEDDED=0 / NYX_BENCH_PG=0 to skip one database.
 */
import { withTenant } from '#server/db/tenant-context.ts';
import { createLogger } from '#server/logger.ts';
import { KNOWLEDGE_SOURCES, nearestBy, widenVectorScans } from '#server/modules/memory/sources.ts';
import { buildReportPage } from '#server/modules/reports/pdf-document.ts';
import { PdfRenderer } from '#server/modules/reports/pdf-renderer.ts';
import { createScratchDatabase, createTestTenant, startTestNyx, type TestNyx } from '../test/server/helpers/nyx.ts';
import { api } from '../test/server/helpers/http.ts';
import { formatSpread, printHeader, repeat, RUNS, spreadOf, Table } from './measure.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const QUERIES = env('NYX_BENCH_QUERIES', 50);
const PROJECTS = env('NYX_BENCH_PROJECTS', 20);
const K = 10;
const CENTRES = 100;
const EMBEDDER = 'bench-vectors';
const HNSW_INDEX = 'memory_entries_embedding_hnsw_index';
const memory = KNOWLEDGE_SOURCES.find((source) => source.type === 'memory')!;

const vectorTable = new Table(['database', 'rows', 'rows of the queried project', 'load s', 'HNSW build s', 'plan of the production query', `recall@${K} vs exact (same filter)`, 'production q/s', 'exact q/s', 'production / exact']);
const pdfTable = new Table(['PDF render', 'ms: median (min–max)']);

async function benchVectors(label: string, databaseUrl: string | null, rows: number): Promise<void> {
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl) : null;
  const nyx: TestNyx = await startTestNyx({ databaseUrl: scratch?.url ?? null, logLevel: 'silent' });
  try {
    const team = await createTestTenant(nyx, 'bench-vectors');
    const projects: string[] = [];
    for (let i = 0; i < PROJECTS; i++) projects.push((await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: `p${i}` } })).body.id);
    const system = nyx.database.orm.em.fork();
    const sql = <T>(query: string, params: unknown[] = []) => system.execute<T[]>(query, params);

    let started = performance.now();
    await sql('select setseed(0.42)');
    await sql(`create temporary table bench_centres as select c as id, array(select random() * 2 - 1 from generate_series(1, 1536) where c > 0) as v from generate_series(1, ${CENTRES}) c`);
    const batch = 2_000;
    for (let from = 1; from <= rows; from += batch) {
      const to = Math.min(rows, from + batch - 1);
      // Row g belongs to project g % PROJECTS and lies near centre g % CENTRES.
      await sql(
        `insert into memory_entries (id, tenant_id, project_id, kind, text, source, embedding, embedder, created_at)
         select gen_random_uuid(), ?, (?::uuid[])[1 + (g % ?)], 'fact', 'bench row ' || g, 'user',
                (select array_agg(x + (random() - 0.5) * 0.8 order by i) from unnest(c.v) with ordinality as u(x, i))::vector, ?, now()
           from generate_series(${from}, ${to}) g join bench_centres c on c.id = 1 + (g % ${CENTRES})`,
        [team.tenantId, `{${projects.join(',')}}`, PROJECTS, EMBEDDER],
      );
    }
    const loadSeconds = (performance.now() - started) / 1000;

    // The production index, rebuilt over the loaded rows (a bulk build, as after a restore).
    const [definition] = await sql<{ indexdef: string }>(`select indexdef from pg_indexes where indexname = ?`, [HNSW_INDEX]);
    if (!definition) throw new Error(`${HNSW_INDEX} is missing: the migrations changed, update this bench`);
    started = performance.now();
    await sql(`drop index ${HNSW_INDEX}`);
    await sql(`set maintenance_work_mem = '512MB'`).catch(() => undefined);
    await sql(definition.indexdef);
    const indexSeconds = (performance.now() - started) / 1000;
    await sql('analyze memory_entries');

    const projectId = projects[0]!;
    const queries = (await sql<{ q: string }>(
      `select (select array_agg(x + (random() - 0.5) * 0.8 order by i) from unnest(c.v) with ordinality as u(x, i))::text as q
         from generate_series(1, ${QUERIES}) g join bench_centres c on c.id = 1 + ((g * 7) % ${CENTRES})`,
    )).map((row) => JSON.parse(row.q.replace(/^\{/, '[').replace(/\}$/, ']')) as number[]);
    const auth = { tenantId: team.tenantId, userId: team.userId };
    const inProject = Math.floor(rows / PROJECTS);

    const production = (vector: number[]) =>
      withTenant(nyx.database.orm, auth, async (em) => {
        await widenVectorScans(em);
        return nearestBy(em, memory, projectId, EMBEDDER, vector, K);
      });
    const exact = (vector: number[]) =>
      withTenant(nyx.database.orm, auth, async (em) => {
        await em.execute(`select set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
        return nearestBy(em, memory, projectId, EMBEDDER, vector, K);
      });
    const plan = await withTenant(nyx.database.orm, auth, async (em) => {
      await widenVectorScans(em);
      const literal = `[${queries[0]!.join(',')}]`;
      const lines = await em.execute<{ 'QUERY PLAN': string }[]>(
        `explain select id from memory_entries where project_id = ? and embedder = ? order by embedding <=> ?::vector limit ?`,
        [projectId, EMBEDDER, literal, K],
      );
      const text = lines.map((line) => line['QUERY PLAN']).join('\n');
      if (text.includes(HNSW_INDEX)) return `HNSW (${HNSW_INDEX})`;
      // The planner judged another plan cheaper (small project): the figures then describe it.
      const scan = /(Index Only Scan using \w+|Index Scan using \w+|Bitmap Heap Scan on \w+|Seq Scan on \w+)/.exec(text)?.[1] ?? 'another plan';
      return `no HNSW: ${scan} + sort (exact)`;
    });

    const pass = async (search: (vector: number[]) => Promise<{ id: string }[]>) => {
      const answers: string[][] = [];
      const t = performance.now();
      for (const vector of queries) answers.push((await search(vector)).map((hit) => hit.id));
      return { answers, qps: queries.length / ((performance.now() - t) / 1000) };
    };
    // Alternating passes, one warm-up each: a slow phase of the machine hits both.
    const exactPasses: Awaited<ReturnType<typeof pass>>[] = [];
    const productionPasses: Awaited<ReturnType<typeof pass>>[] = [];
    await repeat(async () => {
      exactPasses.push(await pass(exact));
      productionPasses.push(await pass(production));
    }, RUNS, 1);
    const truth = exactPasses[0]!.answers;
    const recalls = productionPasses.map(({ answers }) => answers.reduce((hits, ids, i) => hits + ids.filter((id) => truth[i]!.includes(id)).length, 0) / (queries.length * K));
    const shortAnswers = productionPasses[0]!.answers.filter((ids) => ids.length < K).length;
    const productionQps = spreadOf(productionPasses.map((p) => p.qps));
    const exactQps = spreadOf(exactPasses.map((p) => p.qps));
    vectorTable.add([
      label, rows.toLocaleString('en'), inProject.toLocaleString('en'), loadSeconds.toFixed(1), indexSeconds.toFixed(1),
      plan, `${formatSpread(spreadOf(recalls), 3)}${shortAnswers ? ` (${shortAnswers} queries got < ${K})` : ''}`,
      formatSpread(productionQps), formatSpread(exactQps), `${(productionQps.median / exactQps.median).toFixed(1)}x`,
    ]);
  } finally {
    await nyx.close();
    await scratch?.drop();
  }
}

async function benchPdf(): Promise<void> {
  const rowsTable = Array.from({ length: 30 }, (_, i) => `| rule-${i} | ${i * 3} | src/file-${i}.ts |`).join('\n');
  const markdown = `# Analysis\n\n| Rule | Count | File |\n|---|---:|---|\n${rowsTable}\n\n\`\`\`ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n\`\`\`\n`;
  const page = await buildReportPage({ title: 'Bench — Analysis — 2026-01-01', projectName: 'Bench', kindLabel: 'Analysis', date: '2026-01-01', url: 'http://127.0.0.1:7420/api/v1/reports/00000000-0000-4000-8000-000000000000', markdown });
  const cold: number[] = [];
  const warm: number[] = [];
  await repeat(async () => {
    const renderer = new PdfRenderer(null, createLogger('silent'));
    try {
      let t = performance.now();
      await renderer.render(page);
      cold.push(performance.now() - t);
      for (let i = 0; i < env('NYX_BENCH_PDF_WARM', 5); i++) {
        t = performance.now();
        await renderer.render(page);
        warm.push(performance.now() - t);
      }
    } finally {
      await renderer.close();
    }
  });
  const coldSpread = spreadOf(cold);
  const warmSpread = spreadOf(warm);
  pdfTable.add(['first (cold: Chromium launch + page)', formatSpread(coldSpread, 0)]);
  pdfTable.add(['warm (later renders, same browser)', formatSpread(warmSpread, 0)]);
  pdfTable.add(['cold / warm (medians)', `${(coldSpread.median / warmSpread.median).toFixed(1)}x`]);
}

printHeader('bench:vectors', { NYX_BENCH_PROJECTS: PROJECTS, NYX_BENCH_QUERIES: QUERIES });
const pgUrl = process.env.NYX_BENCH_DATABASE_URL ?? process.env.NYX_TEST_DATABASE_URL;
if (pgUrl && process.env.NYX_BENCH_PG !== '0') await benchVectors('PostgreSQL', pgUrl, env('NYX_BENCH_PG_ROWS', 100_000));
if (process.env.NYX_BENCH_EMBEDDED !== '0') await benchVectors('embedded (PGlite)', null, env('NYX_BENCH_EMBEDDED_ROWS', 20_000));
await benchPdf();
console.log('');
vectorTable.print();
console.log('');
pdfTable.print();
process.exit(0);
