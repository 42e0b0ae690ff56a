// GET /api/v1/ai/usage: calls, failures, fallbacks, tokens, cost and latency from ai_calls,
// grouped by model, UTC day or run, over a time window [from, to).
import type { z } from 'zod';
import type { ProviderId, UsageQuerySchema, UsageResponse } from '#protocol/ai.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';

const DEFAULT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** More groups than anyone reads; keeps a run-by-run report of a busy tenant bounded. */
const MAX_GROUPS = 1_000;

/** Per grouping: the key expression, the provider expression, and the order of the groups. */
const GROUPINGS = {
  model: { key: 'model', provider: 'provider', groupBy: 'provider, model', orderBy: 'cost_usd desc, key' },
  day: { key: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`, provider: 'null', groupBy: '1', orderBy: 'key' },
  run: { key: 'run_id::text', provider: 'null', groupBy: 'run_id', orderBy: 'cost_usd desc, key nulls last' },
} as const;

const FIGURES = `count(*) as calls,
  count(*) filter (where outcome <> 'success') as failures,
  count(*) filter (where fallback_from is not null) as fallbacks,
  coalesce(sum(tokens_in), 0) as tokens_in,
  coalesce(sum(tokens_out), 0) as tokens_out,
  coalesce(sum(cost_usd), 0) as cost_usd,
  coalesce(avg(latency_ms), 0) as avg_latency_ms`;

interface FiguresRow {
  calls: string;
  failures: string;
  fallbacks: string;
  tokens_in: string;
  tokens_out: string;
  cost_usd: string;
  avg_latency_ms: string;
}

function figures(row: FiguresRow) {
  return {
    calls: Number(row.calls),
    failures: Number(row.failures),
    fallbacks: Number(row.fallbacks),
    tokensIn: Number(row.tokens_in),
    tokensOut: Number(row.tokens_out),
    // numeric(14,8) sums: round away float noise in what the client displays
    costUsd: Math.round(Number(row.cost_usd) * 1e8) / 1e8,
    avgLatencyMs: Math.round(Number(row.avg_latency_ms)),
  };
}

export async function usageReport(orm: Orm, auth: Authenticated, query: z.output<typeof UsageQuerySchema>): Promise<UsageResponse> {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
  const grouping = GROUPINGS[query.groupBy];
  // tenant_id is in the filter too (RLS would add it anyway) so the (tenant_id, created_at) index serves.
  const where = 'where tenant_id = ? and created_at >= ? and created_at < ?';
  const params = [auth.tenantId, from, to];
  return withTenant(orm, auth, async (em) => {
    const groups = await em.execute<(FiguresRow & { key: string | null; provider: ProviderId | null })[]>(
      `select ${grouping.key} as key, ${grouping.provider} as provider, ${FIGURES}
         from ai_calls ${where} group by ${grouping.groupBy} order by ${grouping.orderBy} limit ${MAX_GROUPS}`,
      params,
    );
    const [totals] = await em.execute<FiguresRow[]>(`select ${FIGURES} from ai_calls ${where}`, params);
    return {
      groupBy: query.groupBy,
      from: from.toISOString(),
      to: to.toISOString(),
      groups: groups.map((row) => ({ key: row.key, provider: row.provider, ...figures(row) })),
      totals: figures(totals),
    };
  });
}
