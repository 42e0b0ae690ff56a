// Wire contract of the AI layer: model catalog entries, model lists, chat requests and usage.
// Server routes parse with these schemas; the extension's model picker renders what they describe.
import { z } from 'zod';

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
  baseUrl: z.url().optional(),
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
