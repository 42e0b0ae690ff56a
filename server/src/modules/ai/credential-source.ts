// Where the router gets a tenant's provider keys: provider_credentials, decrypted with the
// server's SecretBox. The context `${tenantId}/${provider}` binds each ciphertext to its row.
import { AiError, howToConfigure } from '#server/modules/ai/engine/errors.ts';
import { KEYLESS_PLACEHOLDER } from '#server/modules/ai/engine/model-selection.ts';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import type { CredentialSource, ProviderCredential, ProviderId } from '#server/modules/ai/engine/types.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { ProviderCredential as CredentialRow, type IProviderCredential } from './provider-credential.entity.ts';

/** A stored key that this server's secret key cannot open (the key file was replaced or lost). */
export class ProviderKeyUnreadableError extends AiError {
  constructor(provider: ProviderId, cause: unknown) {
    super(
      'provider_key_unreadable',
      409,
      `The stored ${provider} key cannot be decrypted with this server's secret key ` +
        `(NYX_SECRET_KEY or $NYX_HOME/secret.key changed?). Enter it again: ${howToConfigure(provider)}.`,
      { cause },
    );
  }
}

export function secretContext(tenantId: string, provider: ProviderId): string {
  return `${tenantId}/${provider}`;
}

/**
 * Reads all of the tenant's credentials in one query and keeps them for `ttlMs`, so routing a
 * call (which asks about every provider) costs one round trip, and a replaced key is seen soon.
 */
export class DbCredentialSource implements CredentialSource {
  readonly #orm: Orm;
  readonly #box: SecretBox;
  readonly #scope: TenantScope;
  readonly #ttlMs: number;
  #cache: { at: number; rows: Promise<Map<ProviderId, IProviderCredential>> } | null = null;

  constructor(orm: Orm, box: SecretBox, scope: TenantScope, ttlMs = 5_000) {
    this.#orm = orm;
    this.#box = box;
    this.#scope = scope;
    this.#ttlMs = ttlMs;
  }

  async get(provider: ProviderId): Promise<ProviderCredential | null> {
    const row = (await this.#rows()).get(provider);
    if (!row) return null;
    const baseUrl = row.baseUrl ?? undefined;
    if (row.encryptedKey == null) return { apiKey: KEYLESS_PLACEHOLDER, baseUrl };
    try {
      return { apiKey: this.#box.decrypt(row.encryptedKey, secretContext(this.#scope.tenantId, provider)), baseUrl };
    } catch (error) {
      throw new ProviderKeyUnreadableError(provider, error);
    }
  }

  /** Providers with a stored credential, in no particular order. */
  async configuredProviders(): Promise<ProviderId[]> {
    return [...(await this.#rows()).keys()];
  }

  #rows(): Promise<Map<ProviderId, IProviderCredential>> {
    if (!this.#cache || Date.now() - this.#cache.at > this.#ttlMs) {
      const rows = withTenant(this.#orm, this.#scope, (em) => em.find(CredentialRow, {})).then(
        (found) => new Map(found.map((row) => [row.provider, row] as const)),
      );
      rows.catch(() => (this.#cache = null)); // a failed read is not cached
      this.#cache = { at: Date.now(), rows };
    }
    return this.#cache.rows;
  }
}
