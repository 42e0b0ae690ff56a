import type { NyxClient } from '../api/client.ts';
import { NoProviderError } from './provider-status.ts';

/**
 * Before a feature that needs a model asks its questions: one cheap catalog read, and a
 * NoProviderError (shown with a "Configure Provider" button) when the team has no provider. A
 * teammate may have configured one a moment ago, so nothing is cached.
 */
export async function requireProvider(client: NyxClient, doing: string): Promise<void> {
  const { configuredProviders } = await client.listModels();
  if (configuredProviders.length === 0) throw new NoProviderError(doing);
}
