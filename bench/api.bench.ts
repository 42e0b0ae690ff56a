// `npm run bench:api`: what the tenancy machinery costs per request.
//   nyx:      GET /api/v1/projects/:id  (bearer auth + tenant transaction as nyx_app + RLS)
//   baseline: GET /bench/projects/:id, a Koa route in the same app (same middleware, same router
//             position) sending the same select the same way (one message, selectAsSystem) and
//             the same JSON, in the system context: no auth, no role/tenant statements, no RLS
// Measured in the same run, alternating, at 1, 16 and 64 concurrent clients, on the embedded
// database and (when NYX_BENCH_DATABASE_URL or NYX_TEST_DATABASE_URL is set) a real PostgreSQL.
// The load comes from a separate process (bench/load-client.ts). Target: cost ratio <= 1.3x.
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

const run = promisify(execFile);
const CONCURRENCY = [1, 16, 64];
const SECONDS = Number(process.env.NYX_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.NYX_BENCH_ROUNDS ?? 3);

interface Load {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

async function load(url: string, token: string, concurrency: number): Promise<Load> {
  const { stdout } = await run(process.execPath, [new URL('./load-client.ts', import.meta.url).pathname, url, token, String(concurrency), String(SECONDS * 1000)]);
  return JSON.parse(stdout);
}

async function measure(label: string, databaseUrl: string | null): Promise<string[]> {
  const scratch = databaseUrl ? await createScratchDatabase(databaseUrl) : null;
  const nyx = await startTestNyx({ databaseUrl: scratch?.url ?? null, logLevel: 'silent' });
  const rows: string[] = [];
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
      for (let round = 0; round < ROUNDS; round++) {
        base.push(await load(baselineUrl, '-', concurrency));
        tenancy.push(await load(nyxUrl, team.token, concurrency));
      }
      const mean = (xs: Load[], key: 'rps' | 'p99') => xs.reduce((sum, x) => sum + x[key], 0) / xs.length;
      const errors = [...base, ...tenancy].reduce((sum, x) => sum + x.errors, 0);
      if (errors) throw new Error(`${errors} requests failed during the benchmark`);
      const ratio = mean(base, 'rps') / mean(tenancy, 'rps');
      rows.push(
        `| ${label} | ${concurrency} | ${mean(base, 'rps').toFixed(0)} | ${mean(tenancy, 'rps').toFixed(0)} | ${mean(base, 'p99').toFixed(2)} | ${mean(tenancy, 'p99').toFixed(2)} | **${ratio.toFixed(2)}x** ${ratio <= 1.3 ? '(meets <= 1.3x)' : '(over the 1.3x target)'} |`,
      );
      console.error(rows.at(-1));
    }
    server.close();
  } finally {
    await nyx.close();
    await scratch?.drop();
  }
  return rows;
}


const realUrl = process.env.NYX_BENCH_DATABASE_URL ?? process.env.NYX_TEST_DATABASE_URL ?? null;
const rows = [...(await measure('embedded (PGlite)', null))];
if (realUrl) rows.push(...(await measure('PostgreSQL', realUrl)));
else console.error('No NYX_BENCH_DATABASE_URL / NYX_TEST_DATABASE_URL: real PostgreSQL skipped.');
console.log(`\nTenancy cost: authenticated, RLS-scoped GET vs the same query without auth or RLS (${SECONDS}s x ${ROUNDS} rounds each)\n`);
console.log('| database | clients | baseline req/s | nyx req/s | baseline p99 ms | nyx p99 ms | cost ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
