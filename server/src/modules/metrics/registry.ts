// The Prometheus registry of one running server (one per app, so test instances in one process
// do not mix their numbers). Request timings are observed as requests end; everything that is a
// state rather than an event (runs, SSE streams, the pool, AI spending) is read when scraped, so
// it is always current and costs nothing between scrapes.
import type { Middleware } from 'koa';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import { openSseStreamCount } from '#server/events/sse.ts';

export interface NyxMetrics {
  registry: Registry;
  /** Outermost middleware: times every request by its route template and final status. */
  httpMiddleware: Middleware;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

const byOrm = new WeakMap<Orm, NyxMetrics>();

/** The metrics of the server using this ORM (created on first use; the app and the route share it). */
export function metricsFor(orm: Orm): NyxMetrics {
  let metrics = byOrm.get(orm);
  if (!metrics) {
    metrics = createMetrics(orm);
    byOrm.set(orm, metrics);
  }
  return metrics;
}

function createMetrics(orm: Orm): NyxMetrics {
  const registry = new Registry();
  const duration = new Histogram({
    name: 'nyx_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status (event streams count until they close)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  new Gauge({
    name: 'nyx_sse_subscribers',
    help: 'Event streams (run and tenant) open in this process',
    registers: [registry],
    collect() {
      this.set(openSseStreamCount());
    },
  });

  new Gauge({
    name: 'nyx_runs',
    help: 'Runs by kind and state (all tenants)',
    labelNames: ['kind', 'state'],
    registers: [registry],
    async collect() {
      const rows = await systemEm(orm).execute<{ kind: string; status: string; n: string }[]>(`select kind, status, count(*) as n from runs group by kind, status`);
      this.reset();
      for (const row of rows) this.set({ kind: row.kind, state: row.status }, Number(row.n));
    },
  });

  const poolGauge = new Gauge({
    name: 'nyx_db_pool_connections',
    help: 'Database pool connections by state (in_use, idle, waiting requests, max)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const pool = (await orm.em.getConnection().getNativeClient()) as unknown as PgPool;
      poolGauge.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
      poolGauge.set({ state: 'idle' }, pool.idleCount);
      poolGauge.set({ state: 'waiting' }, pool.waitingCount);
      if (pool.options?.max !== undefined) poolGauge.set({ state: 'max' }, pool.options.max);
    },
  });

  // All-time totals from ai_calls: the table is the record of spending, so the numbers survive
  // restarts and agree with /api/v1/ai/usage. Gauges because they are read, not counted here.
  const aiCalls = new Gauge({ name: 'nyx_ai_calls', help: 'Model calls recorded in ai_calls by provider and outcome', labelNames: ['provider', 'outcome'], registers: [registry] });
  const aiTokens = new Gauge({ name: 'nyx_ai_tokens', help: 'Tokens recorded in ai_calls by provider and direction', labelNames: ['provider', 'direction'], registers: [registry] });
  new Gauge({
    name: 'nyx_ai_cost_usd',
    help: 'Cost in USD recorded in ai_calls by provider',
    labelNames: ['provider'],
    registers: [registry],
    async collect() {
      const rows = await systemEm(orm).execute<{ provider: string; outcome: string; calls: string; tokens_in: string; tokens_out: string; cost: string }[]>(
        `select provider, outcome, count(*) as calls, coalesce(sum(tokens_in), 0) as tokens_in, coalesce(sum(tokens_out), 0) as tokens_out, coalesce(sum(cost_usd), 0) as cost
           from ai_calls group by provider, outcome`,
      );
      for (const gauge of [this, aiCalls, aiTokens]) gauge.reset();
      const totals = new Map<string, { in: number; out: number; cost: number }>();
      for (const row of rows) {
        aiCalls.set({ provider: row.provider, outcome: row.outcome }, Number(row.calls));
        const t = totals.get(row.provider) ?? { in: 0, out: 0, cost: 0 };
        totals.set(row.provider, { in: t.in + Number(row.tokens_in), out: t.out + Number(row.tokens_out), cost: t.cost + Number(row.cost) });
      }
      for (const [provider, t] of totals) {
        aiTokens.set({ provider, direction: 'in' }, t.in);
        aiTokens.set({ provider, direction: 'out' }, t.out);
        this.set({ provider }, t.cost);
      }
    },
  });

  const httpMiddleware: Middleware = async (ctx, next) => {
    const end = duration.startTimer();
    try {
      await next();
    } finally {
      // The template (/api/v1/notes/:id), never the raw path: ids would make one series per row.
      const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      end({ method: ctx.method, route: typeof route === 'string' ? route : 'unmatched', status: String(ctx.status) });
    }
  };
  return { registry, httpMiddleware };
}
