import type { z } from 'zod';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import type { GithubTokenInfo, GithubTokenPut } from '#protocol/github.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { keyHint } from '#server/modules/ai/provider-service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { GithubCredential, type IGithubCredential } from './github-credential.entity.ts';

/** Binds a ciphertext to its tenant (authenticated by AES-GCM), as provider keys are bound to theirs. */
export function githubSecretContext(tenantId: string): string {
  return `${tenantId}/github`;
}

export interface GithubAccess {
  token: string;
  baseUrl: string;
}

function toInfo(row: IGithubCredential | null, defaultBaseUrl: string): GithubTokenInfo {
  return {
    configured: Boolean(row),
    tokenHint: row?.tokenHint ?? null,
    baseUrl: row?.baseUrl ?? defaultBaseUrl,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export async function getGithubTokenInfo(orm: Orm, auth: Authenticated, defaultBaseUrl: string): Promise<GithubTokenInfo> {
  return toInfo(await withTenant(orm, auth, (em) => em.findOne(GithubCredential, { tenantId: auth.tenantId })), defaultBaseUrl);
}

export async function putGithubToken(orm: Orm, box: SecretBox, auth: Authenticated, input: z.output<typeof GithubTokenPut>, defaultBaseUrl: string): Promise<GithubTokenInfo> {
  return withTenant(orm, auth, async (em) => {
    const existing = await em.findOne(GithubCredential, { tenantId: auth.tenantId });
    const encryptedToken = box.encrypt(input.token, githubSecretContext(auth.tenantId));
    const row = existing ?? em.create(GithubCredential, { tenantId: auth.tenantId, encryptedToken, createdBy: auth.userId });
    row.encryptedToken = encryptedToken;
    row.tokenHint = keyHint(input.token);
    if (input.baseUrl !== undefined) row.baseUrl = input.baseUrl?.replace(/\/+$/, '') ?? null;
    row.updatedBy = auth.userId;
    recordAudit(em, auth, existing ? 'github_token.update' : 'github_token.create', 'github_credential', row.id, { baseUrl: row.baseUrl ?? null });
    await em.flush();
    return toInfo(row, defaultBaseUrl);
  });
}

export async function deleteGithubToken(orm: Orm, auth: Authenticated): Promise<void> {
  await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(GithubCredential, { tenantId: auth.tenantId });
    if (!row) return;
    em.remove(row);
    recordAudit(em, auth, 'github_token.delete', 'github_credential', row.id);
    await em.flush();
  });
}

/** The decrypted token and base URL for a sync, or null when the tenant stored none. */
export async function readGithubAccess(orm: Orm, box: SecretBox, scope: TenantScope, defaultBaseUrl: string): Promise<GithubAccess | null> {
  const row = await withTenant(orm, scope, (em) => em.findOne(GithubCredential, { tenantId: scope.tenantId }));
  if (!row) return null;
  return { token: box.decrypt(row.encryptedToken, githubSecretContext(scope.tenantId)), baseUrl: row.baseUrl ?? defaultBaseUrl };
}
