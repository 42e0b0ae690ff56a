// The router: picks the model, walks the fallback route on retryable failures (honouring
// Retry-After), enforces budgets, and records every provider attempt exactly once.
// Policy (docs/ai.md "Routing and fallback"):
// - retryable = 429, 5xx, 529 overloaded, timeouts, connection errors;
// - a retryable failure with Retry-After <= maxRetryAfterWaitMs: wait, retry the same provider once;
// - otherwise (or when that retry fails too) fall back to the next provider on the route;
// - not retryable (bad key, bad request, cancelled, budget): stop at once with that error;
// - a stream that already yielded text never falls back: the caller has seen part of an answer.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CatalogEntry } from '#protocol/ai.ts';
import { createSdkAdapter, type AdapterFactory } from './adapters.ts';
import { affordableOutputTokens, checkBeforeCall, estimatePromptTokens, StreamBudgetMeter } from './budget.ts';
import { costUsd, type Catalog } from './catalog.ts';
import {
  AllProvidersFailedError,
  InvalidProviderKeyError,
  outcomeOf,
  ProviderError,
} from './errors.ts';
import { planRoute, type ModelChoice, type RouteLink } from './model-selection.ts';
import type {
  BudgetAllowance,
  BudgetGuard,
  CallRecord,
  CallRecorder,
  ChatMessage,
  CredentialSource,
  ProviderAdapter,
  ProviderId,
  TokenUsage,
} from './types.ts';

export interface RouterOptions {
  catalog: Catalog;
  credentials: CredentialSource;
  recorder: CallRecorder;
  budget?: BudgetGuard;
  /** Per request: for the response to start, and between two stream chunks. Default 60 s. */
  timeoutMs?: number;
  /** Longest Retry-After the router waits out before retrying the same provider. Default 10 s. */
  maxRetryAfterWaitMs?: number;
  createAdapter?: AdapterFactory;
  /** Called when the recorder throws; the answer is still returned. Default: a process warning. */
  onRecorderError?: (error: unknown) => void;
}

export interface RouteRequest extends ModelChoice {
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Ask for a JSON object (see structured.ts). */
  json?: boolean;
  /** Default true: try other configured providers when this one fails retryably. */
  fallback?: boolean;
  signal?: AbortSignal;
  runId?: string;
  personaId?: string;
}

export interface RoutedAnswer {
  provider: ProviderId;
  model: string;
  usage: TokenUsage;
  costUsd: number;
  /** The provider that failed before this one answered, if any. */
  fallbackFrom: ProviderId | null;
}

export type RoutedStreamEvent = { type: 'text'; text: string } | ({ type: 'done'; stopReason: string | null } & RoutedAnswer);

export interface RoutedCompletion extends RoutedAnswer {
  text: string;
  stopReason: string | null;
}

const DEFAULT_OUTPUT_TOKENS = 8_192;

interface Attempt {
  link: RouteLink;
  adapter: ProviderAdapter;
  number: number;
  fallbackFrom: ProviderId | null;
  inputTokens: number;
  allowance: BudgetAllowance;
  startedAt: number;
}

export class AiRouter {
  readonly #options: RouterOptions;
  readonly #timeoutMs: number;
  readonly #maxRetryAfterWaitMs: number;
  readonly #createAdapter: AdapterFactory;

  constructor(options: RouterOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? 10_000;
    this.#createAdapter = options.createAdapter ?? createSdkAdapter;
  }

  get catalog(): Catalog {
    return this.#options.catalog;
  }

  async chat(request: RouteRequest): Promise<RoutedCompletion> {
    const { route, failures } = await this.#begin(request);
    let fallbackFrom: ProviderId | null = null;
    for (const link of route) {
      const prepared = await this.#prepare(link, request);
      const maxTokens = Math.min(
        this.#maxTokens(request, link.entry),
        affordableOutputTokens(link.entry, prepared.inputTokens, prepared.allowance),
      );
      for (let number = 1; number <= 2; number++) {
        const attempt: Attempt = { ...prepared, number, fallbackFrom, startedAt: Date.now() };
        try {
          const completion = await attempt.adapter.complete(this.#adapterRequest(request, link.entry, maxTokens));
          const answer = await this.#succeeded(attempt, 'chat', completion.usage, request);
          return { ...answer, text: completion.text, stopReason: completion.stopReason };
        } catch (error) {
          await this.#failed(attempt, 'chat', error, request);
          if ((await this.#nextStep(error, attempt, request, false)) === 'retry') continue;
          failures.push(error as ProviderError);
          break;
        }
      }
      fallbackFrom = link.entry.provider;
    }
    throw new AllProvidersFailedError(failures);
  }

  /** Streams text deltas, then one `done` with usage and cost. */
  async *stream(request: RouteRequest): AsyncGenerator<RoutedStreamEvent> {
    const { route, failures } = await this.#begin(request);
    let fallbackFrom: ProviderId | null = null;
    for (const link of route) {
      const prepared = await this.#prepare(link, request);
      const adapterRequest = this.#adapterRequest(request, link.entry, this.#maxTokens(request, link.entry));
      for (let number = 1; number <= 2; number++) {
        const attempt: Attempt = { ...prepared, number, fallbackFrom, startedAt: Date.now() };
        const meter = new StreamBudgetMeter(link.entry, prepared.inputTokens, prepared.allowance);
        let yieldedText = false;
        let recorded = false;
        try {
          for await (const event of attempt.adapter.stream(adapterRequest)) {
            if (event.type === 'text') {
              const overBudget = meter.add(event.text);
              if (overBudget) throw overBudget; // leaving the loop closes the provider stream
              yieldedText = true;
              yield event;
              continue;
            }
            // Compatible servers that ignore include_usage report zeros: fall back to estimates.
            const usage = event.usage.outputTokens > 0 ? event.usage : { inputTokens: prepared.inputTokens, outputTokens: meter.outputTokens };
            const answer = await this.#succeeded(attempt, 'stream', usage, request);
            recorded = true;
            yield { type: 'done', stopReason: event.stopReason, ...answer };
          }
          return;
        } catch (error) {
          recorded = true;
          await this.#failed(attempt, 'stream', error, request, { inputTokens: prepared.inputTokens, outputTokens: meter.outputTokens });
          if ((await this.#nextStep(error, attempt, request, yieldedText)) === 'retry') continue;
          failures.push(error as ProviderError);
          break;
        } finally {
          // The consumer stopped reading (break/return): the call still happened and is recorded.
          if (!recorded) {
            const usage = { inputTokens: prepared.inputTokens, outputTokens: meter.outputTokens };
            await this.#record(attempt, 'stream', 'cancelled', usage, costUsd(link.entry, usage), 'consumer stopped reading', request);
          }
        }
      }
      fallbackFrom = link.entry.provider;
    }
    throw new AllProvidersFailedError(failures);
  }

  async #begin(request: RouteRequest): Promise<{ route: RouteLink[]; failures: ProviderError[] }> {
    const { catalog, credentials } = this.#options;
    return { route: await planRoute(catalog, credentials, request, request.fallback ?? true), failures: [] };
  }

  /** Budget check (on the estimated prompt) and adapter for one link of the route. */
  async #prepare(link: RouteLink, request: RouteRequest): Promise<Omit<Attempt, 'number' | 'fallbackFrom' | 'startedAt'>> {
    const inputTokens = estimatePromptTokens(request.system, request.messages);
    const allowance = await this.#allowance(link.entry, inputTokens, request);
    checkBeforeCall(link.entry, inputTokens, allowance);
    const adapter = this.#createAdapter(link.entry.provider, { apiKey: link.apiKey, baseUrl: link.baseUrl, timeoutMs: this.#timeoutMs });
    return { link, adapter, inputTokens, allowance };
  }

  /**
   * After a failed attempt: 'retry' the same provider (after waiting out Retry-After), 'fallback'
   * to the next one, or throw when no other attempt can help.
   */
  async #nextStep(error: unknown, attempt: Attempt, request: RouteRequest, committed: boolean): Promise<'retry' | 'fallback'> {
    if (!(error instanceof ProviderError)) throw error;
    if (error.kind === 'auth_error') throw new InvalidProviderKeyError(error.provider, error);
    if (!error.retryable || committed) throw error;
    const wait = error.retryAfterMs;
    if (attempt.number === 1 && wait !== undefined && wait <= this.#maxRetryAfterWaitMs) {
      await sleep(wait, undefined, { signal: request.signal });
      return 'retry';
    }
    return 'fallback';
  }

  async #allowance(entry: CatalogEntry, inputTokens: number, request: RouteRequest): Promise<BudgetAllowance> {
    if (!this.#options.budget) return {};
    return this.#options.budget.allowance({
      provider: entry.provider,
      model: entry.id,
      estimatedInputTokens: inputTokens,
      estimatedCostUsd: costUsd(entry, { inputTokens, outputTokens: 0 }),
      runId: request.runId,
      personaId: request.personaId,
    });
  }

  #maxTokens(request: RouteRequest, entry: CatalogEntry): number {
    return Math.min(request.maxTokens ?? DEFAULT_OUTPUT_TOKENS, entry.maxOutput);
  }

  #adapterRequest(request: RouteRequest, entry: CatalogEntry, maxTokens: number) {
    return {
      model: entry.id,
      system: request.system,
      messages: request.messages,
      maxTokens,
      temperature: request.temperature,
      json: request.json,
      reasoning: entry.reasoning,
      signal: request.signal,
    };
  }

  async #succeeded(attempt: Attempt, kind: CallRecord['kind'], usage: TokenUsage, request: RouteRequest): Promise<RoutedAnswer> {
    const cost = costUsd(attempt.link.entry, usage);
    await this.#record(attempt, kind, 'success', usage, cost, null, request);
    return { provider: attempt.link.entry.provider, model: attempt.link.entry.id, usage, costUsd: cost, fallbackFrom: attempt.fallbackFrom };
  }

  async #failed(attempt: Attempt, kind: CallRecord['kind'], error: unknown, request: RouteRequest, usage?: TokenUsage): Promise<void> {
    const spent = usage ?? { inputTokens: 0, outputTokens: 0 };
    const message = error instanceof Error ? error.message : String(error);
    await this.#record(attempt, kind, outcomeOf(error), spent, costUsd(attempt.link.entry, spent), message, request);
  }

  async #record(
    attempt: Attempt,
    kind: CallRecord['kind'],
    outcome: CallRecord['outcome'],
    usage: TokenUsage,
    cost: number,
    errorMessage: string | null,
    request: RouteRequest,
  ): Promise<void> {
    try {
      await this.#options.recorder.record({
        provider: attempt.link.entry.provider,
        model: attempt.link.entry.id,
        kind,
        tokensIn: usage.inputTokens,
        tokensOut: usage.outputTokens,
        latencyMs: Date.now() - attempt.startedAt,
        costUsd: cost,
        outcome,
        fallbackFrom: attempt.fallbackFrom,
        attempt: attempt.number,
        errorMessage,
        ...(request.runId !== undefined ? { runId: request.runId } : {}),
        ...(request.personaId !== undefined ? { personaId: request.personaId } : {}),
      });
    } catch (error) {
      (this.#options.onRecorderError ?? ((e) => process.emitWarning(`AI call not recorded: ${String(e)}`)))(error);
    }
  }
}
