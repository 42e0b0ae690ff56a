// The model catalog: built-in models of Anthropic, OpenAI and Google, plus a tenant's custom
// models. Prices are USD per million tokens at standard (non-batch, short-context) rates;
// docs/ai.md says where each figure comes from and which ones are uncertain.
import {
  CatalogEntrySchema,
  CustomModelSchema,
  type CatalogEntry,
  type CustomModel,
  type ModelCapabilities,
  type ModelListResponse,
  type ProviderId,
} from '#protocol/ai.ts';
import { ModelNotFoundError } from './errors.ts';
import type { TokenUsage } from './types.ts';

const FULL: ModelCapabilities = { streaming: true, json: true, tools: true, vision: true };

function model(
  provider: ProviderId,
  id: string,
  displayName: string,
  contextWindow: number,
  maxOutput: number,
  [inputPricePerMTok, outputPricePerMTok]: [number, number],
  flags: { fast?: boolean; reasoning?: boolean } = {},
): CatalogEntry {
  return {
    provider,
    id,
    displayName,
    contextWindow,
    maxOutput,
    inputPricePerMTok,
    outputPricePerMTok,
    capabilities: FULL,
    fast: flags.fast ?? false,
    reasoning: flags.reasoning ?? false,
    custom: false,
  };
}

export const BUILT_IN_MODELS: readonly CatalogEntry[] = [
  model('anthropic', 'claude-opus-4-6', 'Claude Opus 4.6', 1_000_000, 128_000, [5, 25]),
  model('anthropic', 'claude-sonnet-4-6', 'Claude Sonnet 4.6', 1_000_000, 64_000, [3, 15]),
  model('anthropic', 'claude-sonnet-4-5', 'Claude Sonnet 4.5', 200_000, 64_000, [3, 15]),
  model('openai', 'gpt-5', 'GPT-5', 400_000, 128_000, [1.25, 10], { reasoning: true }),
  model('openai', 'gpt-5-mini', 'GPT-5 mini', 400_000, 128_000, [0.25, 2], { reasoning: true, fast: true }),
  model('openai', 'o3', 'o3', 200_000, 100_000, [2, 8], { reasoning: true }),
  model('openai', 'o4-mini', 'o4-mini', 200_000, 100_000, [1.1, 4.4], { reasoning: true }),
  model('openai', 'gpt-4.1', 'GPT-4.1', 1_047_576, 32_768, [2, 8]),
  model('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 1_047_576, 32_768, [0.4, 1.6], { fast: true }),
  model('openai', 'gpt-4.1-nano', 'GPT-4.1 nano', 1_047_576, 32_768, [0.1, 0.4], { fast: true }),
  model('google', 'gemini-2.5-pro', 'Gemini 2.5 Pro', 1_048_576, 65_536, [1.25, 10], { reasoning: true }),
  model('google', 'gemini-2.5-flash', 'Gemini 2.5 Flash', 1_048_576, 65_536, [0.3, 2.5], { fast: true }),
  model('google', 'gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 1_048_576, 65_536, [0.1, 0.4], {
    fast: true,
  }),
];

export const DEFAULT_MODELS: Readonly<Partial<Record<ProviderId, string>>> = {
  anthropic: 'claude-sonnet-4-6',
  openai: 'gpt-4.1-mini',
  google: 'gemini-2.5-flash',
};

/** Order in which providers are preferred for the catalog default and for fallback. */
export const PROVIDER_PREFERENCE: readonly ProviderId[] = ['anthropic', 'openai', 'google', 'openai-compatible'];

/** Where a provider's API lives when neither the model nor the credential names a base URL. */
export const DEFAULT_BASE_URLS: Readonly<Partial<Record<ProviderId, string>>> = {
  google: 'https://generativelanguage.googleapis.com/v1beta/openai/',
};

export interface Catalog {
  readonly models: readonly CatalogEntry[];
  get(id: string): CatalogEntry | undefined;
  /** The entry for `id`, or ModelNotFoundError listing what is known. */
  require(id: string): CatalogEntry;
  defaultFor(provider: ProviderId): CatalogEntry | undefined;
  /** Fast models, cheapest first. */
  fastModels(provider?: ProviderId): CatalogEntry[];
  toResponse(): ModelListResponse;
}

/**
 * The built-in catalog with a tenant's custom models merged in. A custom model with the id of a
 * built-in one replaces it (a tenant may correct a price or point it at a proxy).
 */
export function buildCatalog(customModels: readonly CustomModel[] = []): Catalog {
  const byId = new Map<string, CatalogEntry>(BUILT_IN_MODELS.map((m) => [m.id, m]));
  const customDefaults = new Map<ProviderId, string>();
  for (const raw of customModels) {
    const custom = CustomModelSchema.parse(raw);
    const entry = CatalogEntrySchema.parse({
      ...custom,
      displayName: custom.displayName ?? custom.id,
      capabilities: { streaming: true, json: true, tools: false, vision: false, ...custom.capabilities },
      custom: true,
    });
    byId.set(entry.id, entry);
    if (!DEFAULT_MODELS[entry.provider] && !customDefaults.has(entry.provider)) {
      customDefaults.set(entry.provider, entry.id);
    }
  }
  const models = [...byId.values()];
  const defaultFor = (provider: ProviderId) => {
    const id = DEFAULT_MODELS[provider] ?? customDefaults.get(provider);
    return id === undefined ? undefined : byId.get(id);
  };
  const fastModels = (provider?: ProviderId) =>
    models
      .filter((m) => m.fast && (provider === undefined || m.provider === provider))
      .sort((a, b) => blendedPrice(a) - blendedPrice(b));
  return {
    models,
    get: (id) => byId.get(id),
    require(id) {
      const entry = byId.get(id);
      if (!entry) throw new ModelNotFoundError(id, [...byId.keys()]);
      return entry;
    },
    defaultFor,
    fastModels,
    toResponse: () => ({
      models,
      defaults: Object.fromEntries(
        PROVIDER_PREFERENCE.flatMap((p) => {
          const entry = defaultFor(p);
          return entry ? [[p, entry.id]] : [];
        }),
      ),
      fastModels: fastModels().map((m) => m.id),
    }),
  };
}

/** Input at 3x the weight of output: a rough mix for ranking, not for billing. */
function blendedPrice(entry: CatalogEntry): number {
  return entry.inputPricePerMTok * 3 + entry.outputPricePerMTok;
}

export function costUsd(entry: CatalogEntry, usage: TokenUsage): number {
  return (usage.inputTokens * entry.inputPricePerMTok + usage.outputTokens * entry.outputPricePerMTok) / 1_000_000;
}
