// The one interface every provider adapter implements, and the small interfaces through which the
// database-backed parts (credentials, call log, budgets) plug into the router.
import type { CallOutcome, ChatMessage, ProviderId } from '#protocol/ai.ts';

export type { CallOutcome, ChatMessage, ProviderId };

/** Every stored vector has this size (pgvector column vector(1536)), whichever embedder made it. */
export const EMBEDDING_DIMENSIONS = 1536;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface AdapterChatRequest {
  model: string;
  system?: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  /** Ask the provider for a JSON object where it has a switch for it (OpenAI's json_object). */
  json?: boolean;
  /** Reasoning models reject sampling parameters; the adapter leaves them out. */
  reasoning?: boolean;
  signal?: AbortSignal;
}

export interface ChatCompletion {
  text: string;
  usage: TokenUsage;
  stopReason: string | null;
}

export type ChatStreamEvent =
  | { type: 'text'; text: string }
  /** Final usage as reported by the provider; always the last event of a complete stream. */
  | { type: 'done'; usage: TokenUsage; stopReason: string | null };

export interface EmbeddingResult {
  vectors: Float32Array[];
  inputTokens: number;
}

export interface ProviderAdapter {
  readonly provider: ProviderId;
  complete(request: AdapterChatRequest): Promise<ChatCompletion>;
  stream(request: AdapterChatRequest): AsyncIterable<ChatStreamEvent>;
  embed(texts: string[], model: string, signal?: AbortSignal): Promise<EmbeddingResult>;
}

export interface AdapterOptions {
  apiKey: string;
  baseUrl?: string;
  /** Limit for a response to start and, while streaming, for the gap between two chunks. */
  timeoutMs: number;
}

/** Where the router gets a provider's key; the DB-backed one decrypts `provider_credentials`. */
export interface ProviderCredential {
  apiKey: string;
  baseUrl?: string;
}
export interface CredentialSource {
  get(provider: ProviderId): Promise<ProviderCredential | null>;
}

/** One record per provider attempt; the DB-backed recorder writes an `ai_calls` row. */
export interface CallRecord {
  provider: ProviderId;
  model: string;
  kind: 'chat' | 'stream' | 'embedding';
  tokensIn: number;
  tokensOut: number;
  latencyMs: number;
  costUsd: number;
  outcome: CallOutcome;
  /** Provider whose failure led to this attempt, when this attempt is a fallback. */
  fallbackFrom: ProviderId | null;
  /** 1 for the first attempt at a provider, 2 for the retry after Retry-After. */
  attempt: number;
  errorMessage: string | null;
  runId?: string;
  personaId?: string;
}
export interface CallRecorder {
  record(call: CallRecord): Promise<void> | void;
}

export interface BudgetRequest {
  provider: ProviderId;
  model: string;
  estimatedInputTokens: number;
  estimatedCostUsd: number;
  runId?: string;
  personaId?: string;
}
/** What one call may still spend; absent fields mean no limit. */
export interface BudgetAllowance {
  maxCostUsd?: number;
  maxTokens?: number;
  /** Which budget sets `maxCostUsd` (e.g. "tenant daily cost budget $5.00"), for the error message. */
  costScope?: string;
  /** Which budget sets `maxTokens`. */
  tokenScope?: string;
}
/** Asked before every call; the DB-backed guard sums `ai_calls` against tenant/run budgets. */
export interface BudgetGuard {
  allowance(request: BudgetRequest): Promise<BudgetAllowance>;
}
