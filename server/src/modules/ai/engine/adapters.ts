// Builds the SDK adapter that speaks a provider's API.
import { AnthropicAdapter } from './anthropic-adapter.ts';
import { OpenAIAdapter } from './openai-adapter.ts';
import type { AdapterOptions, ProviderAdapter, ProviderId } from './types.ts';

export type AdapterFactory = (provider: ProviderId, options: AdapterOptions) => ProviderAdapter;

export const createSdkAdapter: AdapterFactory = (provider, options) =>
  provider === 'anthropic' ? new AnthropicAdapter(options) : new OpenAIAdapter(provider, options);
