import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { ModelCapabilities, ProviderId } from '#protocol/ai.ts';

/** A model a tenant added to the catalog (a local Ollama model, or a corrected built-in row). */
export const AiModel = defineEntity({
  name: 'AiModel',
  tableName: 'ai_models',
  comment: "A tenant's custom catalog model (e.g. local Ollama); a built-in id here overrides that entry.",
  ...tenantRls('ai_models', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId', 'modelId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    provider: p.string().$type<ProviderId>().length(32).default('openai-compatible'),
    /** The id sent to the provider's API. */
    modelId: p.string().length(200),
    displayName: p.string().length(200).nullable(),
    baseUrl: p.string().length(2000).nullable(),
    contextWindow: p.integer().default(32_768),
    maxOutput: p.integer().default(4_096),
    inputPricePerMTok: p.decimal('number').precision(12).scale(6).default(0),
    outputPricePerMTok: p.decimal('number').precision(12).scale(6).default(0),
    capabilities: p.json<Partial<ModelCapabilities>>().default('{}'),
    fast: p.boolean().default(false),
    reasoning: p.boolean().default(false),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAiModel = InferEntity<typeof AiModel>;
