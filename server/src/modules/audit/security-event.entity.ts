import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * Authentication failures and cross-tenant attempts. Written by the system context only;
 * tenant_id is null when the caller could not be tied to a tenant (e.g. an unknown token).
 * Aggregated: one row per source (address and tenant), kind and minute, with a count, so a
 * flood of bad tokens adds a row a minute rather than a row a request.
 */
export const SecurityEvent = defineEntity({
  name: 'SecurityEvent',
  tableName: 'security_events',
  comment: 'Auth failures and cross-tenant attempts, written by the system context only.',
  ...tenantRls('security_events', ['select']),
  uniques: [{ name: 'security_events_source_kind_window_unique', properties: ['sourceKey', 'kind', 'windowStart'] }],
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().nullable().index(),
    actorUserId: p.uuid().nullable(),
    kind: p.string().length(64),
    target: p.string().length(300).nullable(),
    detail: p.json<Record<string, unknown>>().nullable(),
    remoteAddress: p.string().length(100).nullable(),
    /** Who the row aggregates: `<address>|<tenant id>` (null on rows from before aggregation). */
    sourceKey: p.string().length(200).nullable(),
    /** The minute the row counts (null on rows from before aggregation). */
    windowStart: p.datetime().nullable(),
    count: p.integer().default(1),
    /** The first event of the window; `last_seen_at` the latest. */
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().nullable(),
  },
});
export type ISecurityEvent = InferEntity<typeof SecurityEvent>;
