// Wire contract of the AI layer: model catalog entries, model lists, chat requests and usage.
// Server routes parse with these schemas; the extension's model picker renders what they describe.
import { z } from 'zod';
import { route } from './routes.ts';

/** 'openai-compatible' is any endpoint speaking Chat Completions (Ollama, vLLM, LM Studio, ...). */
export const ProviderIdSchema = z.enum(['anthropic', 'openai', 'google', 'openai-compatible']);
export type ProviderId = z.infer<typeof ProviderIdSchema>;

export const ModelCapabilitiesSchema = z.object({
  streaming: z.boolean(),
  /** The model reliably answers with JSON when asked (used for structured output). */
  json: z.boolean(),
  tools: z.boolean(),
  vision: z.boolean(),
});
export type ModelCapabilities = z.infer<typeof ModelCapabilitiesSchema>;

export const CatalogEntrySchema = z.object({
  provider: ProviderIdSchema,
  /** The id sent to the provider's API. */
  id: z.string().min(1).max(200),
  displayName: z.string().min(1).max(200),
  contextWindow: z.number().int().positive(),
  maxOutput: z.number().int().positive(),
  /** USD per million input tokens. */
  inputPricePerMTok: z.number().nonnegative(),
  /** USD per million output tokens. */
  outputPricePerMTok: z.number().nonnegative(),
  capabilities: ModelCapabilitiesSchema,
  /** Cheap, low-latency model suited to classification, summaries and other small steps. */
  fast: z.boolean(),
  /** Reasoning models reject sampling parameters such as temperature. */
  reasoning: z.boolean().default(false),
  /** Endpoint for this model only (custom models, e.g. a local Ollama). */
  baseUrl: z.url().optional(),
  /** True for models a tenant added; false for the built-in catalog. */
  custom: z.boolean().default(false),
});
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

/** What a tenant supplies to add a model; prices default to 0 (local models cost nothing). */
export const CustomModelSchema = z.object({
  provider: ProviderIdSchema,
  id: z.string().min(1).max(200),
  displayName: z.string().min(1).max(200).optional(),
  contextWindow: z.number().int().positive().default(32_768),
  maxOutput: z.number().int().positive().default(4_096),
  inputPricePerMTok: z.number().nonnegative().default(0),
  outputPricePerMTok: z.number().nonnegative().default(0),
  capabilities: ModelCapabilitiesSchema.partial().default({}),
  fast: z.boolean().default(false),
  reasoning: z.boolean().default(false),
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
});
export type CustomModel = z.input<typeof CustomModelSchema>;

export const ModelListResponseSchema = z.object({
  models: z.array(CatalogEntrySchema),
  /** Default model id per provider. */
  defaults: z.record(z.string(), z.string()),
  /** Ids of the fast models, cheapest first. */
  fastModels: z.array(z.string()),
});
export type ModelListResponse = z.infer<typeof ModelListResponseSchema>;

export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ChatRequestSchema = z.object({
  /** Explicit model id; when absent the persona's, then the tenant's, then the catalog default. */
  model: z.string().min(1).optional(),
  system: z.string().optional(),
  messages: z.array(ChatMessageSchema).min(1),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  personaId: z.string().optional(),
  runId: z.string().optional(),
});
export type ChatRequestBody = z.infer<typeof ChatRequestSchema>;

export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const CallOutcomeSchema = z.enum([
  'success',
  'rate_limited',
  'overloaded',
  'server_error',
  'timeout',
  'connection_error',
  'auth_error',
  'bad_request',
  'budget_exceeded',
  'cancelled',
  'error',
]);
export type CallOutcome = z.infer<typeof CallOutcomeSchema>;

// ---------------------------------------------------------------------------------------------
// HTTP API of the AI layer: providers (keys), models, usage and budgets. docs/ai.md "HTTP API".

/**
 * An API endpoint: http(s) only, and no user:password inside (it would be stored and shown in
 * clear; the key belongs in `apiKey`, which is encrypted).
 */
export const EndpointUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  .refine((value) => {
    // The url check above already failed for text that is not a URL; refine still runs (zod 4).
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not contain a user name or password; send the key as apiKey');

export const ProviderParamsSchema = z.object({ provider: ProviderIdSchema });

export const ProviderKeyPutSchema = z.strictObject({
  /** Required except for `openai-compatible` (local servers such as Ollama need none). Never returned. */
  apiKey: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  /** Endpoint overriding the provider's default (a proxy, Ollama, a test server); null clears it. */
  baseUrl: EndpointUrlSchema.nullable().optional(),
});
export type ProviderKeyPut = z.input<typeof ProviderKeyPutSchema>;

/** A configured provider as the API shows it: never the key, only its last characters. */
export const ProviderInfoSchema = z.object({
  provider: ProviderIdSchema,
  hasKey: z.boolean(),
  /** e.g. "…3xQa"; null when the key is too short to show any of it safely, or there is none. */
  keyHint: z.string().nullable(),
  baseUrl: z.string().nullable(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;
export const ProviderListSchema = z.object({ items: z.array(ProviderInfoSchema) });

export const ProviderTestSchema = z.strictObject({
  /** Model to try; default: the provider's default model (or its first custom model). */
  model: z.string().min(1).max(200).optional(),
});
export const ProviderTestResultSchema = z.object({
  ok: z.literal(true),
  provider: ProviderIdSchema,
  model: z.string(),
  latencyMs: z.number().int().nonnegative(),
});
export type ProviderTestResult = z.infer<typeof ProviderTestResultSchema>;

/** What GET /api/v1/models answers: the tenant's catalog and which providers have credentials. */
export const TenantModelListSchema = ModelListResponseSchema.extend({
  configuredProviders: z.array(ProviderIdSchema),
});
export type TenantModelList = z.infer<typeof TenantModelListSchema>;

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/** POST /api/v1/models: like CustomModelSchema, but strict (unknown fields are an error). */
export const CustomModelCreateSchema = z.strictObject({
  ...CustomModelSchema.shape,
  id: z.string().trim().min(1).max(200).regex(MODEL_ID, 'letters, digits and . _ : / @ + - only'),
  contextWindow: z.number().int().positive().max(100_000_000).default(32_768),
  maxOutput: z.number().int().positive().max(10_000_000).default(4_096),
  inputPricePerMTok: z.number().nonnegative().max(10_000).default(0),
  outputPricePerMTok: z.number().nonnegative().max(10_000).default(0),
  capabilities: ModelCapabilitiesSchema.partial().strict().default({}),
  baseUrl: EndpointUrlSchema.optional(),
});
export const ModelIdParamsSchema = z.object({ id: z.string().min(1).max(200) });

const UsageDate = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (2026-01-31) or an ISO date-time' })
  .transform((value) => new Date(value));

export const UsageGroupBySchema = z.enum(['model', 'day', 'run']);
export const UsageQuerySchema = z
  .strictObject({
    groupBy: UsageGroupBySchema.default('model'),
    /** Inclusive; default 30 days before `to`. */
    from: UsageDate.optional(),
    /** Exclusive; default now. A bare date means its midnight UTC. */
    to: UsageDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be before "to"', path: ['from'] });

export const UsageFiguresSchema = z.object({
  calls: z.number().int().nonnegative(),
  /** Attempts whose outcome was not success (rate limits, timeouts, budget stops, ...). */
  failures: z.number().int().nonnegative(),
  /** Attempts made on a fallback provider after another one failed. */
  fallbacks: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  avgLatencyMs: z.number().nonnegative(),
});
export const UsageGroupSchema = UsageFiguresSchema.extend({
  /** Model id, day (YYYY-MM-DD, UTC) or run id; null groups calls made outside any run. */
  key: z.string().nullable(),
  /** The model's provider when grouping by model. */
  provider: ProviderIdSchema.nullable(),
});
export const UsageResponseSchema = z.object({
  groupBy: UsageGroupBySchema,
  from: z.string(),
  to: z.string(),
  groups: z.array(UsageGroupSchema),
  totals: UsageFiguresSchema,
});
export type UsageResponse = z.infer<typeof UsageResponseSchema>;

const CostLimit = z.number().nonnegative().max(1_000_000).nullable().default(null);
const TokenLimit = z.number().int().nonnegative().max(1e12).nullable().default(null);

/** PUT replaces every limit: an absent or null field means "no limit". Days and months are UTC. */
export const BudgetPutSchema = z.strictObject({
  dailyCostUsd: CostLimit,
  monthlyCostUsd: CostLimit,
  dailyTokens: TokenLimit,
  monthlyTokens: TokenLimit,
  /** Default cap for each run (analysis, autofix, workflow...); a caller may pass a tighter one. */
  runCostUsd: CostLimit,
  runTokens: TokenLimit,
});
export type BudgetLimits = z.output<typeof BudgetPutSchema>;

const Spend = z.object({ costUsd: z.number().nonnegative(), tokens: z.number().int().nonnegative() });
export const BudgetResponseSchema = z.object({
  limits: z.object({
    dailyCostUsd: z.number().nullable(),
    monthlyCostUsd: z.number().nullable(),
    dailyTokens: z.number().nullable(),
    monthlyTokens: z.number().nullable(),
    runCostUsd: z.number().nullable(),
    runTokens: z.number().nullable(),
  }),
  spent: z.object({ today: Spend, month: Spend }),
  updatedAt: z.string().nullable(),
});
export type BudgetResponse = z.infer<typeof BudgetResponseSchema>;

export const aiRoutes = {
  listModels: route({ method: 'get', path: '/api/v1/models', summary: "The tenant's model catalog, defaults, fast models and configured providers", auth: true, response: TenantModelListSchema }),
  addModel: route({ role: 'admin', method: 'post', path: '/api/v1/models', errors: [409], summary: 'Add a custom model (e.g. a local Ollama model)', auth: true, body: CustomModelCreateSchema, response: CatalogEntrySchema, status: 201 }),
  removeModel: route({ role: 'admin', method: 'delete', path: '/api/v1/models/:id', params: ModelIdParamsSchema, summary: 'Remove a custom model', auth: true, status: 204 }),
  listProviders: route({ method: 'get', path: '/api/v1/providers', summary: 'Configured providers (never their keys)', auth: true, response: ProviderListSchema }),
  putProvider: route({ role: 'admin', method: 'put', path: '/api/v1/providers/:provider', params: ProviderParamsSchema, summary: "Store a provider's key (encrypted) and base URL", auth: true, body: ProviderKeyPutSchema, response: ProviderInfoSchema }),
  removeProvider: route({ role: 'admin', method: 'delete', path: '/api/v1/providers/:provider', params: ProviderParamsSchema, summary: "Delete a provider's key", auth: true, status: 204 }),
  testProvider: route({ role: 'admin', method: 'post', path: '/api/v1/providers/:provider/test', params: ProviderParamsSchema, errors: [402, 409, 502, 503], summary: 'Test a provider with a tiny call', auth: true, body: ProviderTestSchema, response: ProviderTestResultSchema }),
  usage: route({ method: 'get', path: '/api/v1/ai/usage', summary: 'AI calls, tokens, cost, failures and fallbacks by model, day or run', auth: true, query: UsageQuerySchema, response: UsageResponseSchema }),
  getBudget: route({ method: 'get', path: '/api/v1/ai/budget', summary: "The tenant's AI budget and what was spent today and this month", auth: true, response: BudgetResponseSchema }),
  putBudget: route({ role: 'admin', method: 'put', path: '/api/v1/ai/budget', summary: "Replace the tenant's AI budget", auth: true, body: BudgetPutSchema, response: BudgetResponseSchema }),
};
