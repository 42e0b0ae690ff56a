import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * Authentication failures and cross-tenant attempts. Written by the system context only;
 * tenant_id is null when the caller could not be tied to a tenant (e.g. an unknown token).
 */
export const SecurityEvent = defineEntity({
  name: 'SecurityEvent',
  tableName: 'security_events',
  comment: 'Auth failures and cross-tenant attempts, written by the system context only.',
  ...tenantRls('security_events', ['select']),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().nullable().index(),
    actorUserId: p.uuid().nullable(),
    kind: p.string().length(64),
    target: p.string().length(300).nullable(),
    detail: p.json<Record<string, unknown>>().nullable(),
    remoteAddress: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ISecurityEvent = InferEntity<typeof SecurityEvent>;
