import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Finding } from '#protocol/findings.ts';
import { ANALYZER_VERSION } from './analyzers/analyze-file.ts';

/** A finding with the source line it starts on, so cache hits need no blob read. */
export type FindingWithSnippet = Finding & { snippet: string };

export interface CacheSlot {
  key: string;
  path: string;
  blobSha256: string;
}

/** (analyzer version, rule set, path, blob hash) -> key. The path matters: language and fingerprints depend on it. */
export function cacheKeyOf(ruleSetKey: string, path: string, blobSha256: string): string {
  return createHash('sha256').update(`${ANALYZER_VERSION}\0${ruleSetKey}\0${path}\0${blobSha256}`).digest('hex');
}

/** Cached findings of the given keys (missing keys are absent from the map). */
export async function readCache(em: EntityManager, keys: readonly string[]): Promise<Map<string, FindingWithSnippet[]>> {
  const hits = new Map<string, FindingWithSnippet[]>();
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await em.execute<{ cache_key: string; findings: FindingWithSnippet[] }[]>(
      `select cache_key, findings from analysis_cache where cache_key in (?)`,
      [keys.slice(i, i + 1000)],
    );
    for (const row of rows) hits.set(row.cache_key, row.findings);
  }
  return hits;
}

/** One statement per 200 entries: a cold analysis of a large tree writes thousands. */
export async function writeCache(em: EntityManager, tenantId: string, ruleSetKey: string, entries: readonly (CacheSlot & { findings: FindingWithSnippet[] })[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 200) {
    const batch = entries.slice(i, i + 200);
    const values = batch.map(() => `(gen_random_uuid(), ?, ?, ?, ?, ?, ?::jsonb, now())`).join(', ');
    const params = batch.flatMap((entry) => [tenantId, entry.key, entry.blobSha256, ANALYZER_VERSION, ruleSetKey, JSON.stringify(entry.findings)]);
    await em.execute(
      `insert into analysis_cache (id, tenant_id, cache_key, blob_sha256, analyzer_version, rule_set, findings, created_at)
       values ${values} on conflict (tenant_id, cache_key) do update set findings = excluded.findings`,
      params,
    );
  }
}
