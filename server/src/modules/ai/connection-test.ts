// POST /api/v1/providers/:provider/test: one tiny call with the stored credential, answering
// with a clear reason when it fails (invalid key, unreachable endpoint, unknown model).
import type { ProviderId, ProviderTestResult } from '#protocol/ai.ts';
import { AiError, AllProvidersFailedError, ProviderError } from '#server/modules/ai/engine/errors.ts';
import type { TenantScope } from '#server/db/tenant-context.ts';
import { ValidationError } from '#server/errors.ts';
import { createModelGateway, type GatewayServices } from './gateway.ts';

const TEST_TIMEOUT_MS = 15_000;

/** The test call failed for a reason other than the key. */
export class ProviderTestFailedError extends AiError {
  constructor(provider: ProviderId, failure: ProviderError, baseUrl: string | undefined) {
    const where = baseUrl ? ` at ${baseUrl}` : '';
    const unreachable = failure.kind === 'connection_error' || failure.kind === 'timeout';
    super(
      unreachable ? 'provider_unreachable' : 'provider_test_failed',
      502,
      unreachable
        ? `Could not reach ${provider}${where} (${failure.kind}): ${failure.message}. Check the base URL and that the server is running.`
        : `${provider}${where} answered the test call with ${failure.providerStatus ?? 'an error'} (${failure.kind}): ${failure.message}`,
      { cause: failure },
    );
  }
}

export async function testProviderConnection(
  services: GatewayServices,
  auth: TenantScope,
  provider: ProviderId,
  requestedModel: string | undefined,
): Promise<ProviderTestResult> {
  // No budget: checking a key must work even when this month's budget is spent.
  const gateway = await createModelGateway(services, auth, { enforceBudget: false, timeoutMs: TEST_TIMEOUT_MS, maxRetryAfterWaitMs: 0 });
  const model = requestedModel ?? (gateway.catalog.defaultFor(provider) ?? gateway.catalog.models.find((m) => m.provider === provider))?.id;
  if (model === undefined) {
    throw new ValidationError(`model: ${provider} has no model in the catalog; add one with POST /api/v1/models first`, 'model');
  }
  if (gateway.catalog.require(model).provider !== provider) {
    throw new ValidationError(`model: "${model}" is a ${gateway.catalog.require(model).provider} model, not ${provider}`, 'model');
  }
  const startedAt = Date.now();
  try {
    await gateway.router.chat({
      explicit: model,
      fallback: false,
      messages: [{ role: 'user', content: 'Reply with the word OK.' }],
      maxTokens: 16,
    });
  } catch (error) {
    const failure = error instanceof AllProvidersFailedError ? error.failures[0] : error;
    if (failure instanceof ProviderError) {
      const baseUrl = gateway.catalog.require(model).baseUrl ?? (await gateway.credentials.get(provider))?.baseUrl;
      throw new ProviderTestFailedError(provider, failure, baseUrl);
    }
    throw error; // InvalidProviderKeyError, ProviderNotConfiguredError...: already clear
  }
  return { ok: true, provider, model, latencyMs: Date.now() - startedAt };
}
