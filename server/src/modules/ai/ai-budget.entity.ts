import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A tenant's AI spending limits (at most one row per tenant; no row = no limits). Null = no
 * limit. Days and months are UTC calendar periods; tokens count input + output.
 */
export const AiBudget = defineEntity({
  name: 'AiBudget',
  tableName: 'ai_budgets',
  comment: "A tenant's AI limits: daily/monthly cost and tokens, and the default cap per run. Null = none.",
  ...tenantRls('ai_budgets', ['select', 'insert', 'update', 'delete']),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().unique(),
    dailyCostUsd: p.decimal('number').precision(14).scale(6).nullable(),
    monthlyCostUsd: p.decimal('number').precision(14).scale(6).nullable(),
    dailyTokens: p.bigint('number').nullable(),
    monthlyTokens: p.bigint('number').nullable(),
    runCostUsd: p.decimal('number').precision(14).scale(6).nullable(),
    runTokens: p.bigint('number').nullable(),
    updatedBy: p.uuid().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IAiBudget = InferEntity<typeof AiBudget>;
