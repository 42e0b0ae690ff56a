// GET /api/v1/providers/:provider/models: asks the provider's own `/models` endpoint what it
// serves. For an OpenAI-compatible server (Ollama, vLLM, LM Studio) that is the only way to know
// which model ids exist; the editor registers the ones the user picks as custom models.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ProviderId, RemoteModelList } from '#protocol/ai.ts';
import { AppError, ValidationError } from '#server/errors.ts';
import { DEFAULT_BASE_URLS } from '#server/modules/ai/engine/catalog.ts';
import { InvalidProviderKeyError, ProviderError, ProviderNotConfiguredError } from '#server/modules/ai/engine/errors.ts';
import { KEYLESS_PLACEHOLDER } from '#server/modules/ai/engine/model-selection.ts';
import { mapSdkError } from '#server/modules/ai/engine/sdk-errors.ts';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { ProviderTestFailedError } from './connection-test.ts';
import { DbCredentialSource } from './credential-source.ts';
import type { GatewayServices } from './gateway.ts';
import { tenantCatalog } from './models-service.ts';

const LIST_TIMEOUT_MS = 10_000;
/** A server listing thousands of models is not a picker's job; the first ones are enough. */
const MAX_MODELS = 500;

export async function listRemoteModels(
  services: GatewayServices,
  auth: TenantScope,
  provider: ProviderId,
  probeBaseUrl: string | undefined,
): Promise<RemoteModelList> {
  const stored = await new DbCredentialSource(services.orm, services.secretBox, auth, 0).get(provider);
  if (!stored && !(provider === 'openai-compatible' && probeBaseUrl)) throw new ProviderNotConfiguredError([provider]);
  const baseUrl = probeBaseUrl ?? stored?.baseUrl ?? DEFAULT_BASE_URLS[provider];
  if (provider === 'openai-compatible' && !baseUrl) {
    throw new ValidationError('baseUrl: an OpenAI-compatible server needs its base URL (e.g. http://127.0.0.1:11434/v1)', 'baseUrl');
  }
  // The stored key goes only where it was stored for: a probe of another URL is keyless, so that
  // listing cannot be used to send the team's key to an arbitrary host.
  const keyGoesThere = stored !== null && (probeBaseUrl === undefined || sameEndpoint(probeBaseUrl, stored.baseUrl));
  const apiKey = keyGoesThere ? stored.apiKey : KEYLESS_PLACEHOLDER;

  let ids: string[];
  try {
    ids = await fetchModelIds(provider, apiKey, baseUrl);
  } catch (error) {
    const failure = error instanceof ProviderError ? error : mapUnknown(provider, error, apiKey);
    if (failure.kind === 'auth_error') throw new InvalidProviderKeyError(provider, failure);
    throw new ProviderTestFailedError(provider, failure, baseUrl);
  }
  const catalog = await tenantCatalog(services.orm, auth);
  const unique = [...new Set(ids)].sort((a, b) => a.localeCompare(b)).slice(0, MAX_MODELS);
  return {
    provider,
    baseUrl: baseUrl ?? null,
    items: unique.map((id) => ({ id, registered: catalog.get(id)?.provider === provider })),
  };
}

async function fetchModelIds(provider: ProviderId, apiKey: string, baseUrl: string | undefined): Promise<string[]> {
  const abort = { timedOut: false, timeoutMs: LIST_TIMEOUT_MS, apiKey };
  const common = { apiKey, baseURL: baseUrl ?? null, timeout: LIST_TIMEOUT_MS, maxRetries: 0, logLevel: 'off' as const };
  const ids: string[] = [];
  try {
    if (provider === 'anthropic') {
      for await (const model of new Anthropic(common).models.list({ limit: 100 })) {
        ids.push(model.id);
        if (ids.length >= MAX_MODELS) break;
      }
    } else {
      // The raw body rather than the SDK's page: a page quietly reads "no models" from an HTML answer.
      const body: unknown = await new OpenAI(common).get('/models');
      ids.push(...modelIdsOf(body));
    }
  } catch (error) {
    throw mapSdkError(provider, error, provider === 'anthropic' ? Anthropic : OpenAI, abort);
  }
  return ids;
}

/** `{ data: [{ id }] }`, as OpenAI, Ollama, vLLM, LM Studio and Gemini's compatible endpoint answer. */
function modelIdsOf(body: unknown): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || !data.every((entry) => typeof entry?.id === 'string')) {
    const seen = typeof body === 'string' ? `text starting "${body.slice(0, 40)}"` : 'JSON without a "data" list of models';
    throw new Error(`the answer to GET /models is not a model list (${seen}); is this the server's /v1 base URL?`);
  }
  return data.map((entry: { id: string }) => entry.id).slice(0, MAX_MODELS);
}

/** Anything the SDKs did not classify (an HTML page where JSON was expected...) is the endpoint's fault. */
function mapUnknown(provider: ProviderId, error: unknown, apiKey: string): ProviderError {
  if (error instanceof AppError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({ provider, kind: 'error', message: message.replaceAll(apiKey, '***') });
}

function sameEndpoint(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return trim(a) === trim(b);
}
