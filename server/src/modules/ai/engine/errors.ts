// Typed errors of the AI layer. Each is an AppError with a stable `code` and the HTTP status a
// route should answer with, so any feature that calls a model gets a clear problem document
// from the one error middleware without translating anything.
import type { CallOutcome, ProviderId } from '#protocol/ai.ts';
import { AppError } from '#server/errors.ts';
import { scrubSecrets } from './scrub.ts';

/** Where a user fixes provider configuration: the HTTP route and the VS Code command. */
export function howToConfigure(provider: ProviderId | '<provider>'): string {
  return (
    `PUT /api/v1/providers/${provider} with {"apiKey": "..."}, ` +
    `or the "Nyx: Configure AI Provider" command in VS Code (Command Palette)`
  );
}

export class AiError extends AppError {
  constructor(code: string, httpStatus: number, message: string, options?: { cause?: unknown }) {
    super(httpStatus, code, message);
    this.name = new.target.name;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
  /** The HTTP status a route answers with (same as `status`). */
  get httpStatus(): number {
    return this.status;
  }
  static is(value: unknown): value is AiError {
    return value instanceof AiError;
  }
}

export type ProviderFailureKind =
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'timeout'
  | 'connection_error'
  | 'auth_error'
  | 'bad_request'
  | 'not_found'
  | 'cancelled'
  | 'error';

/**
 * A provider call failed. `retryable` says whether another attempt (here or elsewhere) may succeed.
 * `providerStatus` is the provider's HTTP status; `status` is ours (502: an upstream failed).
 */
export class ProviderError extends AiError {
  readonly provider: ProviderId;
  readonly kind: ProviderFailureKind;
  readonly providerStatus: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(init: {
    provider: ProviderId;
    kind: ProviderFailureKind;
    message: string;
    status?: number;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    // Scrubbed here so every path (ai_calls, logs, problem documents) sees the clean text.
    super(`provider_${init.kind}`, 502, `${init.provider}: ${scrubSecrets(init.message)}`, { cause: init.cause });
    this.provider = init.provider;
    this.kind = init.kind;
    this.providerStatus = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.retryable = RETRYABLE_KINDS.has(init.kind);
  }
  static is(value: unknown): value is ProviderError {
    return value instanceof ProviderError;
  }
}

const RETRYABLE_KINDS: ReadonlySet<ProviderFailureKind> = new Set([
  'rate_limited',
  'overloaded',
  'server_error',
  'timeout',
  'connection_error',
]);

/** The provider rejected the key (HTTP 401/403). Not retried: another attempt cannot fix a key. */
export class InvalidProviderKeyError extends AiError {
  readonly provider: ProviderId;
  constructor(provider: ProviderId, cause?: ProviderError) {
    super(
      'provider_key_invalid',
      400,
      `The ${provider} API key is invalid: the provider rejected it (HTTP ${cause?.providerStatus ?? 401}). ` +
        `Replace it with ${howToConfigure(provider)}.`,
      { cause },
    );
    this.provider = provider;
  }
}

export class ProviderNotConfiguredError extends AiError {
  constructor(providers: readonly ProviderId[]) {
    const list = providers.join(', ');
    super(
      'provider_not_configured',
      409,
      `No AI provider is configured (needed: ${list}). Add a key with ${howToConfigure(providers[0] ?? '<provider>')}.`,
    );
  }
}

export class ModelNotFoundError extends AiError {
  readonly model: string;
  constructor(model: string, known: readonly string[]) {
    super(
      'model_not_found',
      400,
      `Model "${model}" is not in the catalog. Known models: ${known.join(', ')}. ` +
        `Add a custom model to the tenant's catalog to use another one.`,
    );
    this.model = model;
  }
}

export class BudgetExceededError extends AiError {
  readonly limit: 'cost' | 'tokens';
  readonly spent: number;
  readonly allowed: number;
  constructor(init: { limit: 'cost' | 'tokens'; spent: number; allowed: number; when: 'before' | 'during'; scope?: string }) {
    const unit = init.limit === 'cost' ? 'USD' : 'tokens';
    const fmt = (n: number) => (init.limit === 'cost' ? n.toFixed(4) : String(Math.round(n)));
    // Names the budget that ran out, so the user knows which limit to raise (PUT /api/v1/ai/budget).
    const scope = init.scope ? ` (${init.scope})` : '';
    super(
      'budget_exceeded',
      402,
      init.when === 'before'
        ? `AI budget exceeded${scope}: this call needs about ${fmt(init.spent)} ${unit} but only ${fmt(init.allowed)} ${unit} remain.`
        : `AI budget exceeded mid-stream${scope}: ${fmt(init.spent)} ${unit} used, limit ${fmt(init.allowed)} ${unit}; the response was stopped.`,
    );
    this.limit = init.limit;
    this.spent = init.spent;
    this.allowed = init.allowed;
  }
}

/** Every provider in the fallback chain failed; `failures` keeps each one's reason. */
export class AllProvidersFailedError extends AiError {
  readonly failures: readonly ProviderError[];
  constructor(failures: readonly ProviderError[]) {
    super(
      'all_providers_failed',
      503,
      `All AI providers failed: ${failures.map((f) => `${f.provider} (${f.kind}${f.providerStatus ? ` ${f.providerStatus}` : ''}): ${f.message}`).join('; ')}`,
    );
    this.failures = failures;
  }
}

export class StructuredOutputError extends AiError {
  readonly lastOutput: string;
  constructor(message: string, lastOutput: string) {
    super('structured_output_invalid', 502, message);
    this.lastOutput = lastOutput;
  }
}

/** The outcome recorded for a call that ended with `error`. */
export function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof BudgetExceededError) return 'budget_exceeded';
  if (error instanceof InvalidProviderKeyError) return 'auth_error';
  if (!(error instanceof ProviderError)) return 'error';
  if (error.kind === 'not_found') return 'bad_request';
  return error.kind;
}

/**
 * Milliseconds to wait according to `retry-after-ms` or `Retry-After` (delta-seconds or an
 * HTTP date). Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
