import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { CallOutcome, ProviderId } from '#protocol/ai.ts';

/**
 * One row per provider attempt (a retry or a fallback is its own row), written after the attempt
 * ended, in its own short transaction. Append-only: usage reports and budgets sum these rows.
 */
export const AiCall = defineEntity({
  name: 'AiCall',
  tableName: 'ai_calls',
  comment: 'One row per model provider attempt: tokens, cost, latency, outcome, fallback. Append-only.',
  ...tenantRls('ai_calls', ['select', 'insert']),
  // Usage and budget queries: a tenant's calls in a time window, and a run's calls.
  indexes: [{ properties: ['tenantId', 'createdAt'] }, { properties: ['runId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    runId: p.uuid().nullable(),
    personaId: p.string().length(200).nullable(),
    /** The user whose request led to the call, when there was one (authorship, not access). */
    userId: p.uuid().nullable(),
    provider: p.string().$type<ProviderId>().length(32),
    model: p.string().length(200),
    kind: p.string().$type<'chat' | 'stream' | 'embedding'>().length(16).default('chat'),
    tokensIn: p.integer().default(0),
    tokensOut: p.integer().default(0),
    latencyMs: p.integer().default(0),
    costUsd: p.decimal('number').precision(14).scale(8).default(0),
    outcome: p.string().$type<CallOutcome>().length(32).default('success'),
    /** 1 for the first attempt at a provider, 2 for the retry after Retry-After. */
    attempt: p.smallint().default(1),
    fallbackFrom: p.string().$type<ProviderId>().length(32).nullable(),
    errorMessage: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAiCall = InferEntity<typeof AiCall>;
