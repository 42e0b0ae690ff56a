// `npm run bench:api`: what the tenancy machinery costs per request.
//   nyx:      GET /api/v1/projects/:id  (bearer auth + tenant transaction as nyx_app + RLS)
//   baseline: GET /bench/projects/:id, a Koa route in the same app (same middleware, same router
//             position) sending the same select the same way (one message, selectAsSystem) and
//             the same JSON, in the system context: no auth, no role/tenant statements, no RLS
// Measured in the same run, alternating, at 1, 16 and 64 concurrent clients, on the embedded
// database and (when NYX_BENCH_DATABASE_URL or NYX_TEST_DATABASE_URL is set) a real PostgreSQL.
// The load comes from a separate process (bench/load-client.ts). NYX_BENCH_RUNS alternating rounds
// (baseline, then nyx) of NYX_BENCH_SECONDS (default 3) each per row; each round gives a
// throughput ratio (baseline req/s / nyx req/s) and a p99 ratio (nyx p99 / baseline p99). The
// target, <= 1.3x, applies to both, judged on the median round; the spread is printed beside it.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import Router from '@koa/router';
import { createApp } from '#server/app.ts';
import { createTestTenant, startTestNyx, createScratchDatabase } from '../test/server/helpers/nyx.ts';
import { api } from '../test/server/helpers/http.ts';
import { selectAsSystem } from '#server/db/tenant-read.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import { toProjectDto } from '#server/modules/projects/service.ts';
import { describeTarget, formatSpread, printHeader, RUNS, spreadOf, Table, verdict, type Target } from './measure.ts';

const run = promisify(execFile);
const CONCURRENCY = [1, 16, 64];
const SECONDS = Number(process.env.NYX_BENCH_SECONDS ?? 3);
const TARGET: Target = { atMost: 1.3 };
const table = new Table([
  'database', 'clients', 'rounds', 'baseline req/s', 'nyx req/s', 'baseline p99 ms', 'nyx p99 ms',
  'throughput cost (baseline/nyx req/s)', 'p99 cost (nyx/baseline p99)', `target ${describeTarget(TARGET, 'x')} on both`,
]);

interface Load {
  requests: number;
  errors: number;
  failedStatuses: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, token: string, concurrency: number): Promise<Load> {
  const { stdout } = await run(process.execPath, [new URL('./load-client.ts', import.meta.url).pathname, url, token, String(concurrency), String(SECONDS * 1000)]);
  return JSON.parse(stdout);
}

async function measure(label: string, databaseUrl: string | null): Promise<void> {
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl) : null;
  // No per-token rate limit (NYX_TOKEN_RATE_LIMIT, 1,000 requests/s by default): the baseline has
  // none, and the load here is one token at full speed, which the limit exists to refuse.
  const nyx = await startTestNyx({ databaseUrl: scratch?.url ?? null, logLevel: 'silent', tokenRateLimit: 0 });
  try {
    const team = await createTestTenant(nyx, 'bench');
    const project = (await api(nyx.url, 'POST', '/api/v1/projects', { token: team.token, body: { name: 'bench' } })).body;
    // The Nyx app again, with the baseline route placed just before the projects router, so both
    // paths pay the same request middleware and router matching; only the tenancy differs.
    const { app } = createApp(nyx.services);
    const baseline = new Router();
    baseline.get('/bench/projects/:id', async (ctx) => {
      const [row] = await selectAsSystem(nyx.database.orm, Project, { id: ctx.params.id });
      ctx.body = row ? toProjectDto(row) : null;
    });
    const projectsAt = app.middleware.findIndex((layer) => (layer as { router?: { stack: { path: string }[] } }).router?.stack.some((l) => l.path === '/api/v1/projects/:id'));
    app.middleware.splice(projectsAt, 0, baseline.routes() as never);
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const baselineUrl = `${base}/bench/projects/${project.id}`;
    const nyxUrl = `${base}/api/v1/projects/${project.id}`;
    await load(nyxUrl, team.token, 4); // warm both paths (JIT, caches, connections)
    await load(baselineUrl, '-', 4);
    for (const concurrency of CONCURRENCY) {
      const base: Load[] = [];
      const tenancy: Load[] = [];
      for (let round = 0; round < RUNS; round++) {
        base.push(await load(baselineUrl, '-', concurrency));
        tenancy.push(await load(nyxUrl, team.token, concurrency));
      }
      const errors = [...base, ...tenancy].reduce((sum, x) => sum + x.errors, 0);
      if (errors) {
        const statuses = [...base.map((x) => ['baseline', x] as const), ...tenancy.map((x) => ['nyx', x] as const)].filter(([, x]) => x.errors).map(([side, x]) => `${side}: ${JSON.stringify(x.failedStatuses)}`);
        throw new Error(`${errors} requests failed during the benchmark at ${concurrency} clients (${label}): ${statuses.join('; ')}`);
      }
      // Ratios per round (a round is a baseline and a nyx run back to back, so a slow phase of
      // the machine hits both), then the median round.
      const throughput = spreadOf(base.map((b, i) => b.rps / tenancy[i]!.rps));
      const p99 = spreadOf(base.map((b, i) => tenancy[i]!.p99 / b.p99));
      const judged = verdict(throughput.median, TARGET) === 'met' && verdict(p99.median, TARGET) === 'met' ? 'met' : `missed (${[verdict(throughput.median, TARGET) === 'missed' ? 'throughput' : '', verdict(p99.median, TARGET) === 'missed' ? 'p99' : ''].filter(Boolean).join(' and ')})`;
      table.add([
        label, concurrency, RUNS,
        formatSpread(spreadOf(base.map((x) => x.rps)), 0), formatSpread(spreadOf(tenancy.map((x) => x.rps)), 0),
        formatSpread(spreadOf(base.map((x) => x.p99)), 2), formatSpread(spreadOf(tenancy.map((x) => x.p99)), 2),
        `${formatSpread(throughput, 2)}x`, `${formatSpread(p99, 2)}x`, judged,
      ]);
    }
    server.close();
  } finally {
    await nyx.close();
    await scratch?.drop();
  }
}

printHeader('bench:api', { NYX_BENCH_SECONDS: SECONDS, clients: CONCURRENCY.join(',') });
const realUrl = process.env.NYX_BENCH_DATABASE_URL ?? process.env.NYX_TEST_DATABASE_URL ?? null;
await measure('embedded (PGlite)', null);
if (realUrl) await measure('PostgreSQL', realUrl);
else console.error('No NYX_BENCH_DATABASE_URL / NYX_TEST_DATABASE_URL: real PostgreSQL skipped.');
console.log(`\nTenancy cost: authenticated, RLS-scoped GET vs the same query without auth or RLS (${SECONDS} s per side per round)\n`);
table.print();
