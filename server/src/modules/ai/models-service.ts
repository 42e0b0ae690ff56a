// A tenant's catalog: the built-in models plus the custom models in ai_models.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { CatalogEntry, CustomModel, CustomModelCreateSchema, TenantModelList } from '#protocol/ai.ts';
import { buildCatalog, type Catalog } from '#server/modules/ai/engine/catalog.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { ConflictError, NotFoundError } from '#server/errors.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { AiModel, type IAiModel } from './ai-model.entity.ts';
import { ProviderCredential } from './provider-credential.entity.ts';

function toCustomModel(row: IAiModel): CustomModel {
  return {
    provider: row.provider,
    id: row.modelId,
    ...(row.displayName ? { displayName: row.displayName } : {}),
    contextWindow: row.contextWindow,
    maxOutput: row.maxOutput,
    inputPricePerMTok: Number(row.inputPricePerMTok),
    outputPricePerMTok: Number(row.outputPricePerMTok),
    capabilities: row.capabilities,
    fast: row.fast,
    reasoning: row.reasoning,
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
  };
}

/** The catalog as this tenant sees it, read inside the caller's tenant transaction. */
export async function loadTenantCatalog(em: EntityManager): Promise<Catalog> {
  const rows = await em.find(AiModel, {}, { orderBy: { createdAt: 'asc', modelId: 'asc' } });
  return buildCatalog(rows.map(toCustomModel));
}

export async function tenantCatalog(orm: Orm, scope: TenantScope): Promise<Catalog> {
  return withTenant(orm, scope, loadTenantCatalog);
}

export async function listModels(orm: Orm, auth: Authenticated): Promise<TenantModelList> {
  return withTenant(orm, auth, async (em) => {
    const catalog = await loadTenantCatalog(em);
    const credentials = await em.find(ProviderCredential, {}, { fields: ['provider'], orderBy: { provider: 'asc' } });
    return { ...catalog.toResponse(), configuredProviders: credentials.map((row) => row.provider) };
  });
}

export async function addModel(orm: Orm, auth: Authenticated, input: z.output<typeof CustomModelCreateSchema>): Promise<CatalogEntry> {
  return withTenant(orm, auth, async (em) => {
    if (await em.count(AiModel, { modelId: input.id })) {
      throw new ConflictError(`a custom model "${input.id}" already exists; delete it first to replace it`, 'id');
    }
    const row = em.create(AiModel, {
      tenantId: auth.tenantId,
      provider: input.provider,
      modelId: input.id,
      displayName: input.displayName ?? null,
      baseUrl: input.baseUrl ?? null,
      contextWindow: input.contextWindow,
      maxOutput: input.maxOutput,
      inputPricePerMTok: input.inputPricePerMTok,
      outputPricePerMTok: input.outputPricePerMTok,
      capabilities: input.capabilities,
      fast: input.fast,
      reasoning: input.reasoning,
      createdBy: auth.userId,
    });
    recordAudit(em, auth, 'ai_model.create', 'ai_model', row.id, { provider: input.provider, modelId: input.id });
    await em.flush();
    return buildCatalog([toCustomModel(row)]).require(input.id);
  });
}

export async function removeModel(orm: Orm, auth: Authenticated, modelId: string): Promise<void> {
  const removed = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(AiModel, { modelId });
    if (!row) return false;
    em.remove(row);
    recordAudit(em, auth, 'ai_model.delete', 'ai_model', row.id, { modelId });
    await em.flush();
    return true;
  });
  if (!removed) throw new NotFoundError(`custom model "${modelId}"`);
}
