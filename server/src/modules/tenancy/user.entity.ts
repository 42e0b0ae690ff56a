import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  comment: 'People of a tenant; recorded as authors, never used to filter access.',
  ...tenantRls('users', ['select', 'insert', 'update', 'delete']),
  // (tenant_id, id): what composite foreign keys of other tenant tables point at (decision 0011).
  uniques: [{ properties: ['tenantId', 'email'] }, { properties: ['tenantId', 'id'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    email: p.string().length(320),
    displayName: p.string().length(200).nullable(),
    /** owner, admin, member or viewer (protocol/roles.ts); the first user of a tenant is its owner. */
    role: p.string().length(16).default('member'),
    /** Set when the member was removed: the row stays so the audit log can still name them. */
    removedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IUser = InferEntity<typeof User>;
