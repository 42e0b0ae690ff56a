// Wiring shared by the AI-layer tests: both provider fakes, an in-memory call log and credentials
// pointing at the fakes. Everything else is the real code: real SDKs over real HTTP.
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic-server.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai-server.ts';
import { buildCatalog } from '#server/modules/ai/engine/catalog.ts';
import { AiRouter, type RouterOptions } from '#server/modules/ai/engine/router.ts';
import type { CallRecord, CallRecorder, CredentialSource, ProviderCredential, ProviderId } from '#server/modules/ai/engine/types.ts';

export class MemoryRecorder implements CallRecorder {
  readonly calls: CallRecord[] = [];
  record(call: CallRecord): void {
    this.calls.push(call);
  }
}

export class MapCredentials implements CredentialSource {
  readonly #byProvider: Map<ProviderId, ProviderCredential>;
  constructor(entries: Partial<Record<ProviderId, ProviderCredential>>) {
    this.#byProvider = new Map(Object.entries(entries) as [ProviderId, ProviderCredential][]);
  }
  get(provider: ProviderId): Promise<ProviderCredential | null> {
    return Promise.resolve(this.#byProvider.get(provider) ?? null);
  }
}

export interface Fakes {
  anthropic: FakeAnthropic;
  openai: FakeOpenAI;
  recorder: MemoryRecorder;
  /** A router whose credentials point both providers at the fakes. */
  router(options?: Partial<RouterOptions>): AiRouter;
  close(): Promise<void>;
}

export async function startFakes(): Promise<Fakes> {
  const [anthropic, openai] = await Promise.all([startFakeAnthropic(), startFakeOpenAI()]);
  const recorder = new MemoryRecorder();
  return {
    anthropic,
    openai,
    recorder,
    router: (options = {}) =>
      new AiRouter({
        catalog: buildCatalog(),
        credentials: new MapCredentials({
          anthropic: { apiKey: 'sk-ant-test', baseUrl: anthropic.url },
          openai: { apiKey: 'sk-openai-test', baseUrl: openai.url },
        }),
        recorder,
        timeoutMs: 2_000,
        maxRetryAfterWaitMs: 1_500,
        ...options,
      }),
    close: async () => void (await Promise.all([anthropic.close(), openai.close()])),
  };
}

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
