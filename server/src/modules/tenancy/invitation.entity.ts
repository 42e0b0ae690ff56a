import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';

/**
 * A one-time code that lets someone join a team with a role. Only the SHA-256 of the code is
 * stored; the code itself is shown once, to the admin who created it.
 */
export const Invitation = defineEntity({
  name: 'Invitation',
  tableName: 'invitations',
  comment: 'One-time invitation codes (hashed) with the role they grant.',
  ...tenantRls('invitations', ['select', 'insert', 'update', 'delete']),
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    role: p.string().length(16).default('member'),
    /** When set, only this address may accept it. */
    email: p.string().length(320).nullable(),
    codeHash: p.string().length(64).unique(),
    prefix: p.string().length(16),
    expiresAt: p.datetime(),
    createdBy: p.uuid().nullable(),
    acceptedAt: p.datetime().nullable(),
    acceptedUserId: p.uuid().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IInvitation = InferEntity<typeof Invitation>;
