// Chat Completions and Embeddings through the official OpenAI SDK. Serves OpenAI itself, Google
// (Gemini's OpenAI-compatible endpoint) and any OpenAI-compatible server (Ollama, vLLM, LM Studio).
import OpenAI from 'openai';
import { ProviderError } from './errors.ts';
import { mapSdkError, withIdleTimeout, type AbortContext } from './sdk-errors.ts';
import {
  EMBEDDING_DIMENSIONS,
  type AdapterChatRequest,
  type AdapterOptions,
  type ChatCompletion,
  type ChatStreamEvent,
  type EmbeddingResult,
  type ProviderAdapter,
  type ProviderId,
} from './types.ts';

export const OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

export class OpenAIAdapter implements ProviderAdapter {
  readonly provider: ProviderId;
  readonly #client: OpenAI;
  readonly #timeoutMs: number;
  readonly #apiKey: string;

  constructor(provider: 'openai' | 'google' | 'openai-compatible', options: AdapterOptions) {
    this.provider = provider;
    this.#timeoutMs = options.timeoutMs;
    this.#apiKey = options.apiKey;
    this.#client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      timeout: options.timeoutMs,
      maxRetries: 0,
      logLevel: 'off',
    });
  }

  async complete(request: AdapterChatRequest): Promise<ChatCompletion> {
    const abort = this.#abortContext(request);
    try {
      const completion = await this.#client.chat.completions.create(
        { ...this.#params(request), stream: false },
        { signal: request.signal },
      );
      const choice = completion.choices[0];
      return {
        text: choice?.message.content ?? '',
        usage: {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        },
        stopReason: choice?.finish_reason ?? null,
      };
    } catch (error) {
      throw mapSdkError(this.provider, error, OpenAI, abort);
    }
  }

  async *stream(request: AdapterChatRequest): AsyncIterable<ChatStreamEvent> {
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const abort = this.#abortContext(request);
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    let stopReason: string | null = null;
    try {
      const chunks = await this.#client.chat.completions.create(
        { ...this.#params(request), stream: true, stream_options: { include_usage: true } },
        { signal },
      );
      const onIdle = () => {
        abort.timedOut = true;
        controller.abort();
      };
      for await (const chunk of withIdleTimeout(chunks, this.#timeoutMs, onIdle)) {
        const choice = chunk.choices[0];
        if (choice?.delta.content) yield { type: 'text', text: choice.delta.content };
        if (choice?.finish_reason) stopReason = choice.finish_reason;
        // With include_usage the last chunk (empty choices) carries the totals.
        if (chunk.usage) {
          usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        }
      }
    } catch (error) {
      throw mapSdkError(this.provider, error, OpenAI, abort);
    }
    if (stopReason === null && usage === undefined) {
      throw new ProviderError({ provider: this.provider, kind: 'server_error', message: 'stream ended without a finish reason' });
    }
    // Some compatible servers ignore include_usage; the router then estimates from the text.
    yield { type: 'done', usage: usage ?? { inputTokens: 0, outputTokens: 0 }, stopReason };
  }

  async embed(texts: string[], model: string, signal?: AbortSignal): Promise<EmbeddingResult> {
    const abort: AbortContext = { callerSignal: signal, timedOut: false, timeoutMs: this.#timeoutMs, apiKey: this.#apiKey };
    try {
      const response = await this.#client.embeddings.create(
        { model, input: texts, dimensions: EMBEDDING_DIMENSIONS },
        { signal },
      );
      const vectors = response.data
        .sort((a, b) => a.index - b.index)
        .map((item) => Float32Array.from(item.embedding));
      return { vectors, inputTokens: response.usage?.prompt_tokens ?? 0 };
    } catch (error) {
      throw mapSdkError(this.provider, error, OpenAI, abort);
    }
  }

  #params(request: AdapterChatRequest) {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
      ...request.messages.map((m) => ({ role: m.role, content: m.content })),
    ];
    // OpenAI's reasoning models accept only max_completion_tokens; compatible servers often know
    // only the older max_tokens.
    const limit =
      this.provider === 'openai' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens };
    return {
      model: request.model,
      messages,
      ...limit,
      ...(request.temperature !== undefined && !request.reasoning ? { temperature: request.temperature } : {}),
      ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
    };
  }

  #abortContext(request: AdapterChatRequest): AbortContext {
    return { callerSignal: request.signal, timedOut: false, timeoutMs: this.#timeoutMs, apiKey: this.#apiKey };
  }
}
