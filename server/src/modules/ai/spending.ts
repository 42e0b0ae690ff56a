// What a tenant (or a run) has spent on AI, summed from ai_calls. Budgets compare these with
// their limits; days and months are UTC calendar periods; tokens are input + output.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface Spend {
  costUsd: number;
  tokens: number;
}

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function startOfUtcMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Today's and this month's spending of the tenant, in one indexed scan of this month's calls. */
export async function tenantSpend(em: EntityManager, tenantId: string, now = new Date()): Promise<{ today: Spend; month: Spend }> {
  const [row] = await em.execute<{ day_cost: string; day_tokens: string; month_cost: string; month_tokens: string }[]>(
    `select coalesce(sum(cost_usd) filter (where created_at >= ?), 0) as day_cost,
            coalesce(sum(tokens_in + tokens_out) filter (where created_at >= ?), 0) as day_tokens,
            coalesce(sum(cost_usd), 0) as month_cost,
            coalesce(sum(tokens_in + tokens_out), 0) as month_tokens
       from ai_calls where tenant_id = ? and created_at >= ?`,
    [startOfUtcDay(now), startOfUtcDay(now), tenantId, startOfUtcMonth(now)],
  );
  return {
    today: { costUsd: Number(row.day_cost), tokens: Number(row.day_tokens) },
    month: { costUsd: Number(row.month_cost), tokens: Number(row.month_tokens) },
  };
}

export async function runSpend(em: EntityManager, runId: string): Promise<Spend> {
  const [row] = await em.execute<{ cost: string; tokens: string }[]>(
    `select coalesce(sum(cost_usd), 0) as cost, coalesce(sum(tokens_in + tokens_out), 0) as tokens from ai_calls where run_id = ?`,
    [runId],
  );
  return { costUsd: Number(row.cost), tokens: Number(row.tokens) };
}
