// GET/PUT of a tenant's AI budget, with what was spent today and this month.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BudgetLimits, BudgetResponse } from '#protocol/ai.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { AiBudget, type IAiBudget } from './ai-budget.entity.ts';
import { tenantSpend } from './spending.ts';

const LIMIT_FIELDS = ['dailyCostUsd', 'monthlyCostUsd', 'dailyTokens', 'monthlyTokens', 'runCostUsd', 'runTokens'] as const;

async function toBudgetResponse(em: EntityManager, auth: Authenticated, row: IAiBudget | null): Promise<BudgetResponse> {
  const limits = Object.fromEntries(
    LIMIT_FIELDS.map((field) => [field, row?.[field] === null || row?.[field] === undefined ? null : Number(row[field])]),
  ) as BudgetResponse['limits'];
  return { limits, spent: await tenantSpend(em, auth.tenantId), updatedAt: row?.updatedAt.toISOString() ?? null };
}

export async function getBudget(orm: Orm, auth: Authenticated): Promise<BudgetResponse> {
  return withTenant(orm, auth, async (em) => toBudgetResponse(em, auth, await em.findOne(AiBudget, { tenantId: auth.tenantId })));
}

/** Replaces every limit (null = none). */
export async function putBudget(orm: Orm, auth: Authenticated, limits: BudgetLimits): Promise<BudgetResponse> {
  return withTenant(orm, auth, async (em) => {
    const row = (await em.findOne(AiBudget, { tenantId: auth.tenantId })) ?? em.create(AiBudget, { tenantId: auth.tenantId });
    for (const field of LIMIT_FIELDS) row[field] = limits[field];
    row.updatedBy = auth.userId;
    row.updatedAt = new Date();
    recordAudit(em, auth, 'ai_budget.update', 'ai_budget', row.id, { ...limits });
    await em.flush();
    return toBudgetResponse(em, auth, row);
  });
}
