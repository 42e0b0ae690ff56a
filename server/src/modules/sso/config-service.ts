// Admin side: read, store and delete a team's single sign-on settings.
import type { z } from 'zod';
import type { SsoConfig, SsoConfigAnswer, SsoConfigInput } from '#protocol/sso.ts';
import type { Orm } from '#server/db/orm.ts';
import { systemEm, withTenant } from '#server/db/tenant-context.ts';
import { AppError, ValidationError } from '#server/errors.ts';
import type { SecretBox } from '#server/modules/ai/engine/secret-box.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { forgetIdp, idpConfiguration, issuerProblem } from './idp-client.ts';
import { SsoConfigRow, type ISsoConfig } from './sso-config.entity.ts';

export const CALLBACK_PATH = '/api/v1/sso/callback';

export function secretContext(tenantId: string): string {
  return `${tenantId}/sso`;
}

/** The IdP could not confirm the settings (discovery failed): 422 naming the field. */
class SsoSettingsError extends AppError {
  constructor(message: string, field: string) {
    super(422, 'sso_settings_refused', message, { field });
  }
}

function toView(row: ISsoConfig): SsoConfig {
  return {
    issuerUrl: row.issuerUrl,
    clientId: row.clientId,
    hasClientSecret: row.clientSecretSealed !== null,
    scopes: row.scopes,
    groupsClaim: row.groupsClaim,
    groupRoles: row.groupRoles,
    defaultRole: row.defaultRole ?? null,
    allowSignup: row.allowSignup,
    sessionHours: row.sessionHours,
    refreshDays: row.refreshDays,
    redirectOrigins: row.redirectOrigins,
    enabled: row.enabled,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function readSsoConfig(orm: Orm, auth: Authenticated, callbackUrl: string): Promise<SsoConfigAnswer> {
  const row = await withTenant(orm, auth, (em) => em.findOne(SsoConfigRow, { tenantId: auth.tenantId }));
  return { config: row ? toView(row) : null, callbackUrl };
}

/**
 * Stores the settings after the issuer has answered discovery with them (a typo in the issuer
 * is found now, not at the first sign-in). The secret is sealed; omitted, the stored one stays.
 */
export async function storeSsoConfig(
  orm: Orm,
  secretBox: SecretBox,
  auth: Authenticated,
  input: z.output<typeof SsoConfigInput>,
  callbackUrl: string,
): Promise<SsoConfigAnswer> {
  const problem = issuerProblem(input.issuerUrl);
  if (problem) throw new ValidationError(`issuerUrl: ${problem}`, 'issuerUrl');
  const issuerUrl = input.issuerUrl;
  const existing = await withTenant(orm, auth, (em) => em.findOne(SsoConfigRow, { tenantId: auth.tenantId }));
  const secret =
    input.clientSecret === undefined ? (existing?.clientSecretSealed ? secretBox.decrypt(existing.clientSecretSealed, secretContext(auth.tenantId)) : null) : input.clientSecret;
  forgetIdp(issuerUrl);
  try {
    await idpConfiguration({ issuerUrl, clientId: input.clientId, clientSecret: secret });
  } catch (error) {
    throw new SsoSettingsError(`issuerUrl: ${(error as Error).message}`, 'issuerUrl');
  }
  const row = await withTenant(orm, auth, async (em) => {
    const current = await em.findOne(SsoConfigRow, { tenantId: auth.tenantId });
    const values = {
      issuerUrl,
      clientId: input.clientId,
      clientSecretSealed: secret === null ? null : secretBox.encrypt(secret, secretContext(auth.tenantId)),
      scopes: [...new Set(input.scopes)],
      groupsClaim: input.groupsClaim,
      groupRoles: input.groupRoles,
      defaultRole: input.defaultRole,
      allowSignup: input.allowSignup,
      sessionHours: input.sessionHours,
      refreshDays: input.refreshDays,
      redirectOrigins: input.redirectOrigins.map((origin) => new URL(origin).origin),
      enabled: input.enabled,
      updatedBy: auth.userId,
    };
    const saved = current ? em.assign(current, values) : em.create(SsoConfigRow, { tenantId: auth.tenantId, ...values });
    recordAudit(em, auth, current ? 'sso.update' : 'sso.create', 'sso_config', saved.id, {
      issuerUrl,
      clientId: input.clientId,
      groupRoles: input.groupRoles,
      defaultRole: input.defaultRole,
      allowSignup: input.allowSignup,
      enabled: input.enabled,
    });
    await em.flush();
    return saved;
  });
  return { config: toView(row), callbackUrl };
}

export async function deleteSsoConfig(orm: Orm, auth: Authenticated): Promise<void> {
  await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(SsoConfigRow, { tenantId: auth.tenantId });
    if (!row) return;
    recordAudit(em, auth, 'sso.delete', 'sso_config', row.id, { issuerUrl: row.issuerUrl });
    em.remove(row);
    await em.flush();
  });
}

/** The settings a sign-in uses, read in the system context (the caller has no token yet). */
export async function enabledConfigOf(orm: Orm, tenantId: string): Promise<ISsoConfig | null> {
  const row = await systemEm(orm).findOne(SsoConfigRow, { tenantId });
  return row && row.enabled ? row : null;
}

export function clientSecretOf(row: ISsoConfig, secretBox: SecretBox): string | null {
  return row.clientSecretSealed ? secretBox.decrypt(row.clientSecretSealed, secretContext(row.tenantId)) : null;
}
