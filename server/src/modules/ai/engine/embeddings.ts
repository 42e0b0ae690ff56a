// Embeddings: OpenAI text-embedding-3-small when the tenant has an OpenAI key, otherwise the local
// deterministic embedder. Both give 1536 dimensions, but their vectors are not comparable, so
// there is no silent fallback from one to the other: every result says which embedder made it,
// and a caller searching stored vectors passes the embedder those vectors were made with.
import { setTimeout as sleep } from 'node:timers/promises';
import { createSdkAdapter, type AdapterFactory } from './adapters.ts';
import { InvalidProviderKeyError, outcomeOf, ProviderError, ProviderNotConfiguredError } from './errors.ts';
import { EMBEDDER_ID, embedAllLocally, type EmbedderId } from './local-embedder.ts';
import { OPENAI_EMBEDDING_MODEL } from './openai-adapter.ts';
import type { CallRecorder, CredentialSource } from './types.ts';

/** USD per million tokens for text-embedding-3-small. */
export const OPENAI_EMBEDDING_PRICE_PER_MTOK = 0.02;

export interface EmbedOptions {
  /** Use this embedder (the one stored vectors were made with); default: OpenAI if configured. */
  embedder?: EmbedderId;
  signal?: AbortSignal;
  runId?: string;
}

export interface Embeddings {
  embedderId: EmbedderId;
  vectors: Float32Array[];
}

export class EmbeddingService {
  readonly #credentials: CredentialSource;
  readonly #recorder: CallRecorder;
  readonly #timeoutMs: number;
  readonly #maxRetryAfterWaitMs: number;
  readonly #createAdapter: AdapterFactory;

  constructor(options: {
    credentials: CredentialSource;
    recorder: CallRecorder;
    timeoutMs?: number;
    maxRetryAfterWaitMs?: number;
    createAdapter?: AdapterFactory;
  }) {
    this.#credentials = options.credentials;
    this.#recorder = options.recorder;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetryAfterWaitMs = options.maxRetryAfterWaitMs ?? 10_000;
    this.#createAdapter = options.createAdapter ?? createSdkAdapter;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Embeddings> {
    if (options.embedder === EMBEDDER_ID.local) return { embedderId: EMBEDDER_ID.local, vectors: embedAllLocally(texts) };
    const credential = await this.#credentials.get('openai');
    if (!credential) {
      if (options.embedder === EMBEDDER_ID.openai) throw new ProviderNotConfiguredError(['openai']);
      return { embedderId: EMBEDDER_ID.local, vectors: embedAllLocally(texts) };
    }
    const adapter = this.#createAdapter('openai', { ...credential, timeoutMs: this.#timeoutMs });
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      try {
        const result = await adapter.embed(texts, OPENAI_EMBEDDING_MODEL, options.signal);
        await this.#record(startedAt, attempt, result.inputTokens, 'success', null, options);
        return { embedderId: EMBEDDER_ID.openai, vectors: result.vectors };
      } catch (error) {
        await this.#record(startedAt, attempt, 0, outcomeOf(error), String((error as Error).message), options);
        if (error instanceof ProviderError && error.kind === 'auth_error') throw new InvalidProviderKeyError('openai', error);
        const wait = error instanceof ProviderError && error.retryable ? error.retryAfterMs : undefined;
        if (attempt > 1 || wait === undefined || wait > this.#maxRetryAfterWaitMs) throw error;
        await sleep(wait, undefined, { signal: options.signal });
      }
    }
  }

  async #record(
    startedAt: number,
    attempt: number,
    tokensIn: number,
    outcome: ReturnType<typeof outcomeOf> | 'success',
    errorMessage: string | null,
    options: EmbedOptions,
  ): Promise<void> {
    await this.#recorder.record({
      provider: 'openai',
      model: OPENAI_EMBEDDING_MODEL,
      kind: 'embedding',
      tokensIn,
      tokensOut: 0,
      latencyMs: Date.now() - startedAt,
      costUsd: (tokensIn * OPENAI_EMBEDDING_PRICE_PER_MTOK) / 1_000_000,
      outcome,
      fallbackFrom: null,
      attempt,
      errorMessage,
      ...(options.runId !== undefined ? { runId: options.runId } : {}),
    });
  }
}
