import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantRls } from '#server/db/rls.ts';
import type { Finding } from '#protocol/findings.ts';

/**
 * Built-in findings of one file, keyed by (blob hash, path, analyzer version, rule set): an
 * unchanged file is never analyzed twice. The path is in the key because language detection and
 * fingerprints depend on it.
 */
export const AnalysisCacheEntry = defineEntity({
  name: 'AnalysisCacheEntry',
  tableName: 'analysis_cache',
  comment: 'Built-in analyzer results per (blob sha256, path, analyzer version, rule set); re-analysis of unchanged files reads them.',
  ...tenantRls('analysis_cache', ['select', 'insert', 'update', 'delete']),
  uniques: [{ properties: ['tenantId', 'cacheKey'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tenantId: p.uuid().index(),
    /** sha256 of analyzer version, rule set, path and blob hash. */
    cacheKey: p.string().length(64),
    blobSha256: p.string().length(64),
    analyzerVersion: p.string().length(64),
    ruleSet: p.string().length(64),
    findings: p.json<Finding[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAnalysisCacheEntry = InferEntity<typeof AnalysisCacheEntry>;
