// Storing, listing and deleting a tenant's provider credentials. The key goes in encrypted and
// never comes out through the API: responses carry only a hint (last characters) and the base URL.
import type { z } from 'zod';
import type { ProviderId, ProviderInfo, ProviderKeyPutSchema } from '#protocol/ai.ts';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError, ValidationError } from '#server/errors.ts';
import type { Logger } from '#server/logger.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { secretContext } from './credential-source.ts';
import { ProviderCredential, type IProviderCredential } from './provider-credential.entity.ts';

export interface ProviderServices {
  orm: Orm;
  secretBox: SecretBox;
  log: Logger;
}

/** Shortest key of which the last 4 characters may be shown: they must be a small part of it. */
const MIN_KEY_LENGTH_FOR_HINT = 16;

export function keyHint(apiKey: string): string | null {
  return apiKey.length >= MIN_KEY_LENGTH_FOR_HINT ? `…${apiKey.slice(-4)}` : null;
}

export function toProviderInfo(row: IProviderCredential): ProviderInfo {
  return {
    provider: row.provider,
    hasKey: row.encryptedKey != null,
    keyHint: row.keyHint ?? null,
    baseUrl: row.baseUrl ?? null,
    updatedBy: row.updatedBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listProviders(orm: Orm, auth: Authenticated): Promise<ProviderInfo[]> {
  const rows = await withTenant(orm, auth, (em) => em.find(ProviderCredential, {}, { orderBy: { provider: 'asc' } }));
  return rows.map(toProviderInfo);
}

/**
 * Creates or replaces the tenant's credential for `provider`. An absent `apiKey` keeps the stored
 * one (to change only the base URL); `baseUrl: null` clears the override.
 */
export async function putProvider(
  services: ProviderServices,
  auth: Authenticated,
  provider: ProviderId,
  input: z.output<typeof ProviderKeyPutSchema>,
): Promise<ProviderInfo> {
  const info = await withTenant(services.orm, auth, async (em) => {
    const existing = await em.findOne(ProviderCredential, { provider });
    if (input.apiKey === undefined && !existing?.encryptedKey && provider !== 'openai-compatible') {
      throw new ValidationError(`apiKey: required for ${provider}`, 'apiKey');
    }
    if (provider === 'openai-compatible' && input.apiKey === undefined && !existing && !input.baseUrl) {
      // A keyless credential is only useful as a base URL for local servers.
      throw new ValidationError('baseUrl: required for openai-compatible when no apiKey is given', 'baseUrl');
    }
    const row =
      existing ??
      em.create(ProviderCredential, { tenantId: auth.tenantId, provider, encryptedKey: null, keyHint: null, baseUrl: null, createdBy: auth.userId });
    if (input.apiKey !== undefined) {
      row.encryptedKey = services.secretBox.encrypt(input.apiKey, secretContext(auth.tenantId, provider));
      row.keyHint = keyHint(input.apiKey);
    }
    if (input.baseUrl !== undefined) row.baseUrl = input.baseUrl;
    row.updatedBy = auth.userId;
    recordAudit(em, auth, existing ? 'provider.update' : 'provider.create', 'provider_credential', row.id, {
      provider,
      keyChanged: input.apiKey !== undefined,
      baseUrl: row.baseUrl,
    });
    await em.flush();
    return toProviderInfo(row);
  });
  services.log.info({ tenantId: auth.tenantId, provider, keyHint: info.keyHint, baseUrl: info.baseUrl }, 'provider credential stored');
  return info;
}

export async function deleteProvider(services: ProviderServices, auth: Authenticated, provider: ProviderId): Promise<void> {
  const deleted = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(ProviderCredential, { provider });
    if (!row) return false;
    em.remove(row);
    recordAudit(em, auth, 'provider.delete', 'provider_credential', row.id, { provider });
    await em.flush();
    return true;
  });
  // Providers are named, not numbered: another tenant's credential is as invisible as none.
  if (!deleted) throw new NotFoundError(`provider credential "${provider}"`);
  services.log.info({ tenantId: auth.tenantId, provider }, 'provider credential deleted');
}
