import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Role } from '#protocol/roles.ts';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A team's OpenID Connect provider. At most one per tenant. The client secret is sealed with the
 * server key like provider keys are (context `<tenant>/sso`, so a value copied to another tenant's
 * row does not decrypt).
 */
export const SsoConfigRow = defineEntity({
  name: 'SsoConfig',
  tableName: 'sso_configs',
  comment: 'Single sign-on (OpenID Connect) settings of a tenant; the client secret is encrypted.',
  ...tenantRls('sso_configs', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    issuerUrl: p.string().length(500),
    clientId: p.string().length(300),
    clientSecretSealed: p.text().nullable(),
    scopes: p.json<string[]>().default('["openid","email","profile"]'),
    groupsClaim: p.string().length(100).default('groups'),
    groupRoles: p.json<Record<string, Role>>().default('{}'),
    defaultRole: p.string().$type<Role>().length(16).nullable().default('member'),
    allowSignup: p.boolean().default(false),
    sessionHours: p.integer().default(12),
    refreshDays: p.integer().default(30),
    redirectOrigins: p.json<string[]>().default('[]'),
    enabled: p.boolean().default(true),
    updatedBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type ISsoConfig = InferEntity<typeof SsoConfigRow>;
