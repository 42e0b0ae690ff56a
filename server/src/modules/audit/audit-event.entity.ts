import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/** Who did what to which row. */
export const AuditEvent = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  comment: 'Append-only: who did what to which row.',
  ...tenantRls('audit_events', ['select', 'insert']),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    actorUserId: p.uuid().nullable(),
    action: p.string().length(64),
    entityType: p.string().length(64),
    entityId: p.uuid(),
    data: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAuditEvent = InferEntity<typeof AuditEvent>;
