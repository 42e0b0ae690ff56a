import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { DiscussionMode, DiscussionSynthesis } from '#protocol/discussions.ts';

/** One discussion per `discussion` run (`run_id` is the run's id); the synthesis lands here when it is done. */
export const DiscussionRow = defineEntity({
  name: 'Discussion',
  tableName: 'discussions',
  comment: 'Discussions between personas: one per discussion run, with the synthesis once written.',
  ...tenantRls('discussions', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['runId'] }],
  indexes: [{ properties: ['projectId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    runId: p.uuid(),
    projectId: p.uuid(),
    topic: p.text(),
    mode: p.string().$type<DiscussionMode>().length(16).default('debate'),
    rounds: p.integer().default(1),
    personaIds: p.json<string[]>().default('[]'),
    synthesis: p.json<DiscussionSynthesis>().nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type IDiscussion = InferEntity<typeof DiscussionRow>;

/** The transcript: one row per finished turn, keyed by (run, turn) so a re-executed run rewrites rather than duplicates. */
export const DiscussionTurnRow = defineEntity({
  name: 'DiscussionTurn',
  tableName: 'discussion_turns',
  comment: 'Transcript of a discussion: one row per persona turn, in order.',
  ...tenantRls('discussion_turns', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['runId', 'turn'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    runId: p.uuid(),
    round: p.integer(),
    turn: p.integer(),
    personaId: p.uuid(),
    personaName: p.string().length(100),
    content: p.text(),
    provider: p.string().length(32).nullable(),
    model: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IDiscussionTurn = InferEntity<typeof DiscussionTurnRow>;
