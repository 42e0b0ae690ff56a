// The DB-backed BudgetGuard: before every provider attempt, what the tenant's daily and monthly
// budgets and the run's budget still allow, from ai_calls. The router checks the prompt against
// it, caps non-streaming output with it and stops a stream that goes over it.
import type { BudgetAllowance, BudgetGuard, BudgetRequest } from '#server/modules/ai/engine/types.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { AiBudget, type IAiBudget } from './ai-budget.entity.ts';
import { runSpend, tenantSpend, type Spend } from './spending.ts';

/** A per-run cap a caller passes in (absent fields: no cap beyond the tenant's). */
export interface RunBudget {
  maxCostUsd?: number;
  maxTokens?: number;
}

export interface BudgetGuardOptions {
  runId?: string;
  runBudget?: RunBudget;
  /** Spending of this gateway's own calls: the run total when there is no run id to sum by. */
  localSpend: () => Spend;
}

interface Limit {
  kind: 'cost' | 'tokens';
  limit: number;
  spent: number;
  scope: string;
}

const usd = (n: number) => `$${Number(n.toFixed(6))}`;

export class DbBudgetGuard implements BudgetGuard {
  readonly #orm: Orm;
  readonly #scope: TenantScope;
  readonly #options: BudgetGuardOptions;

  constructor(orm: Orm, scope: TenantScope, options: BudgetGuardOptions) {
    this.#orm = orm;
    this.#scope = scope;
    this.#options = options;
  }

  async allowance(request: BudgetRequest): Promise<BudgetAllowance> {
    const runId = request.runId ?? this.#options.runId;
    const limits = await withTenant(this.#orm, this.#scope, async (em) => {
      const budget = await em.findOne(AiBudget, { tenantId: this.#scope.tenantId });
      const found: Limit[] = [];
      if (hasTenantLimits(budget)) {
        const { today, month } = await tenantSpend(em, this.#scope.tenantId);
        push(found, 'cost', budget.dailyCostUsd, today.costUsd, (l) => `tenant daily cost budget ${usd(l)}`);
        push(found, 'cost', budget.monthlyCostUsd, month.costUsd, (l) => `tenant monthly cost budget ${usd(l)}`);
        push(found, 'tokens', budget.dailyTokens, today.tokens, (l) => `tenant daily token budget ${l}`);
        push(found, 'tokens', budget.monthlyTokens, month.tokens, (l) => `tenant monthly token budget ${l}`);
      }
      // The run's cap: the tighter of the caller's and the tenant's default (which needs a run id).
      const runCost = tighter(this.#options.runBudget?.maxCostUsd, runId ? budget?.runCostUsd : null);
      const runTokens = tighter(this.#options.runBudget?.maxTokens, runId ? budget?.runTokens : null);
      if (runCost !== undefined || runTokens !== undefined) {
        const spent = runId ? await runSpend(em, runId) : this.#options.localSpend();
        push(found, 'cost', runCost, spent.costUsd, (l) => `run cost budget ${usd(l)}`);
        push(found, 'tokens', runTokens, spent.tokens, (l) => `run token budget ${l}`);
      }
      return found;
    });
    return toAllowance(limits);
  }
}

function hasTenantLimits(budget: IAiBudget | null): budget is IAiBudget {
  return !!budget && [budget.dailyCostUsd, budget.monthlyCostUsd, budget.dailyTokens, budget.monthlyTokens].some((v) => v !== null && v !== undefined);
}

function tighter(a: number | undefined, b: number | null | undefined): number | undefined {
  const values = [a, b ?? undefined].filter((v): v is number => v !== undefined);
  return values.length ? Math.min(...values) : undefined;
}

function push(limits: Limit[], kind: Limit['kind'], limit: number | null | undefined, spent: number, scope: (limit: number) => string): void {
  if (limit === null || limit === undefined) return;
  const value = Number(limit); // numeric and bigint columns may come back as strings
  limits.push({ kind, limit: value, spent, scope: scope(value) });
}

/** The smallest remainder of each kind is what this call may spend. */
function toAllowance(limits: Limit[]): BudgetAllowance {
  const allowance: BudgetAllowance = {};
  for (const limit of limits) {
    const left = Math.max(0, limit.limit - limit.spent);
    if (limit.kind === 'cost' && (allowance.maxCostUsd === undefined || left < allowance.maxCostUsd)) {
      allowance.maxCostUsd = left;
      allowance.costScope = limit.scope;
    }
    if (limit.kind === 'tokens' && (allowance.maxTokens === undefined || left < allowance.maxTokens)) {
      allowance.maxTokens = left;
      allowance.tokenScope = limit.scope;
    }
  }
  return allowance;
}
