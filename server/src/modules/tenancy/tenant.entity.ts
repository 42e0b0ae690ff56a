import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/** A team. Not tenant-owned itself: it is the root every tenant-owned row points at. */
export const Tenant = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  comment: 'A team. Every tenant-owned row carries its id.',
  ...tenantRls('tenants', ['select'], 'id'),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    name: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ITenant = InferEntity<typeof Tenant>;
