import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { ProviderId } from '#protocol/ai.ts';

/**
 * A tenant's key for one model provider. The key is stored only as AES-256-GCM ciphertext
 * (SecretBox, authenticated with `${tenantId}/${provider}` so a value copied into another row
 * does not decrypt); the API shows the hint, never the key.
 */
export const ProviderCredential = defineEntity({
  name: 'ProviderCredential',
  tableName: 'provider_credentials',
  comment: "A tenant's model provider key (encrypted at rest) and optional base URL; one per provider.",
  ...tenantRls('provider_credentials', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId', 'provider'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    provider: p.string().$type<ProviderId>().length(32),
    /** `v1.<iv>.<tag>.<ciphertext>`; null for keyless OpenAI-compatible servers (Ollama). */
    encryptedKey: p.text().nullable(),
    keyHint: p.string().length(16).nullable(),
    baseUrl: p.string().length(2000).nullable(),
    createdBy: p.uuid().nullable(),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IProviderCredential = InferEntity<typeof ProviderCredential>;
