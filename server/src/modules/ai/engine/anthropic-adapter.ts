// Anthropic Messages API through the official SDK. Retries are ours (router), so the SDK's are off.
import Anthropic from '@anthropic-ai/sdk';
import { ProviderError } from './errors.ts';
import { mapSdkError, withIdleTimeout, type AbortContext } from './sdk-errors.ts';
import type {
  AdapterChatRequest,
  AdapterOptions,
  ChatCompletion,
  ChatStreamEvent,
  EmbeddingResult,
  ProviderAdapter,
} from './types.ts';

export class AnthropicAdapter implements ProviderAdapter {
  readonly provider = 'anthropic' as const;
  readonly #client: Anthropic;
  readonly #timeoutMs: number;
  readonly #apiKey: string;

  constructor(options: AdapterOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#apiKey = options.apiKey;
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      timeout: options.timeoutMs,
      maxRetries: 0,
      openTelemetry: false,
      logLevel: 'off',
    });
  }

  async complete(request: AdapterChatRequest): Promise<ChatCompletion> {
    const abort = this.#abortContext(request);
    try {
      const message = await this.#client.messages.create(
        { ...this.#params(request), stream: false },
        { signal: request.signal },
      );
      const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
      return {
        text,
        usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
        stopReason: message.stop_reason,
      };
    } catch (error) {
      throw mapSdkError(this.provider, error, Anthropic, abort);
    }
  }

  async *stream(request: AdapterChatRequest): AsyncIterable<ChatStreamEvent> {
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const abort = this.#abortContext(request);
    let inputTokens = 0;
    let outputTokens = 0;
    let stopReason: string | null = null;
    let stopped = false;
    try {
      const events = await this.#client.messages.create({ ...this.#params(request), stream: true }, { signal });
      const onIdle = () => {
        abort.timedOut = true;
        controller.abort();
      };
      for await (const event of withIdleTimeout(events, this.#timeoutMs, onIdle)) {
        if (event.type === 'message_start') {
          inputTokens = event.message.usage.input_tokens;
          outputTokens = event.message.usage.output_tokens;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          yield { type: 'text', text: event.delta.text };
        } else if (event.type === 'message_delta') {
          // message_delta carries cumulative output tokens.
          outputTokens = event.usage.output_tokens;
          stopReason = event.delta.stop_reason;
        } else if (event.type === 'message_stop') {
          stopped = true;
        }
      }
    } catch (error) {
      throw mapSdkError(this.provider, error, Anthropic, abort);
    }
    if (!stopped) {
      throw new ProviderError({ provider: this.provider, kind: 'server_error', message: 'stream ended before message_stop' });
    }
    yield { type: 'done', usage: { inputTokens, outputTokens }, stopReason };
  }

  embed(): Promise<EmbeddingResult> {
    return Promise.reject(
      new ProviderError({ provider: this.provider, kind: 'bad_request', message: 'Anthropic offers no embeddings API' }),
    );
  }

  #params(request: AdapterChatRequest) {
    return {
      model: request.model,
      max_tokens: request.maxTokens,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.system ? { system: request.system } : {}),
      ...(request.temperature !== undefined && !request.reasoning ? { temperature: request.temperature } : {}),
    };
  }

  #abortContext(request: AdapterChatRequest): AbortContext {
    return { callerSignal: request.signal, timedOut: false, timeoutMs: this.#timeoutMs, apiKey: this.#apiKey };
  }
}
