import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { DigestStatus, DigestSummary } from '#protocol/digests.ts';

/** A dev-blog post about a project's period; its twin report (kind digest) is what gets exported. */
export const DigestRow = defineEntity({
  name: 'Digest',
  tableName: 'digests',
  comment: 'Activity digests of a project period: blog-style Markdown, JSON summary, draft or published.',
  ...tenantRls('digests', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['runId'] }],
  indexes: [{ properties: ['projectId', 'periodEnd'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    projectId: p.uuid(),
    runId: p.uuid(),
    reportId: p.uuid(),
    periodStart: p.datetime(),
    periodEnd: p.datetime(),
    title: p.string().length(300),
    markdown: p.text(),
    summary: p.json<DigestSummary>(),
    status: p.string().$type<DigestStatus>().length(16).default('draft'),
    model: p.string().length(200).nullable(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    publishedAt: p.datetime().nullable(),
  },
});
export type IDigest = InferEntity<typeof DigestRow>;
