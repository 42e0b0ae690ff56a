// Which model answers a request, and which models stand in when its provider fails.
import type { CatalogEntry } from '#protocol/ai.ts';
import { DEFAULT_BASE_URLS, PROVIDER_PREFERENCE, type Catalog } from './catalog.ts';
import { ProviderNotConfiguredError } from './errors.ts';
import type { CredentialSource, ProviderCredential, ProviderId } from './types.ts';

export interface ModelChoice {
  /** Chosen by the caller for this request. */
  explicit?: string;
  personaDefault?: string;
  tenantDefault?: string;
}

/** A model together with how to reach it. */
export interface RouteLink {
  entry: CatalogEntry;
  apiKey: string;
  baseUrl: string | undefined;
}

/** Local OpenAI-compatible servers (Ollama, LM Studio) need no key; the SDK still wants one. */
export const KEYLESS_PLACEHOLDER = 'no-key-needed';

/**
 * The route for a request: the selected model first (explicit > persona default > tenant default
 * > catalog default), then, when `fallback` is on, the default model of every other configured
 * provider (a fast model stands in for a fast model; a non-default custom model never does).
 */
export async function planRoute(
  catalog: Catalog,
  credentials: CredentialSource,
  choice: ModelChoice,
  fallback: boolean,
): Promise<RouteLink[]> {
  const resolved = new Map<ProviderId, ProviderCredential | null>();
  const credentialOf = async (provider: ProviderId) => {
    if (!resolved.has(provider)) resolved.set(provider, await credentials.get(provider));
    return resolved.get(provider) ?? null;
  };
  const linkFor = async (entry: CatalogEntry): Promise<RouteLink | null> => {
    const credential = await credentialOf(entry.provider);
    const baseUrl = entry.baseUrl ?? credential?.baseUrl ?? DEFAULT_BASE_URLS[entry.provider];
    if (credential) return { entry, apiKey: credential.apiKey, baseUrl };
    if (entry.provider === 'openai-compatible' && entry.baseUrl) return { entry, apiKey: KEYLESS_PLACEHOLDER, baseUrl };
    return null;
  };

  const chosenId = choice.explicit ?? choice.personaDefault ?? choice.tenantDefault;
  let primary: RouteLink | null = null;
  if (chosenId !== undefined) {
    const entry = catalog.require(chosenId);
    primary = await linkFor(entry);
    if (!primary) throw new ProviderNotConfiguredError([entry.provider]);
  } else {
    for (const provider of PROVIDER_PREFERENCE) {
      const entry = catalog.defaultFor(provider);
      primary = entry ? await linkFor(entry) : null;
      if (primary) break;
    }
    if (!primary) throw new ProviderNotConfiguredError(PROVIDER_PREFERENCE.filter((p) => catalog.defaultFor(p)));
  }

  const route = [primary];
  if (!fallback) return route;
  for (const provider of PROVIDER_PREFERENCE) {
    if (provider === primary.entry.provider) continue;
    const providerDefault = catalog.defaultFor(provider);
    const standIn =
      primary.entry.fast && !providerDefault?.fast ? (catalog.fastModels(provider)[0] ?? providerDefault) : providerDefault;
    const link = standIn ? await linkFor(standIn) : null;
    if (link) route.push(link);
  }
  return route;
}
