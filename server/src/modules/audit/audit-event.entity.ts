import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/** Who did what to which row. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  comment: 'Append-only: who did what to which row.',
  ...tenantRls('audit_events', ['select', 'insert']),
  // The audit log reads a tenant's events newest first.
  indexes: [{ properties: ['tenantId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    actorUserId: p.uuid().nullable(),
    action: p.string().length(64),
    entityType: p.string().length(64),
    entityId: p.uuid(),
    /** The client address of the request that did it; null for the CLI and the server's own work. */
    remoteAddress: p.string().length(100).nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAuditEvent = InferEntity<typeof AuditEvent>;
