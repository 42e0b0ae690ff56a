import { createHash } from 'node:crypto';
import type { Finding } from '#protocol/findings.ts';
import { ANALYZER_VERSION, analyzeFile, type SourceFile } from './analyze-file.ts';

/**
 * Where analysis results are kept between runs, keyed by `analysisCacheKey`. Async so the server
 * can back it with the database; `InMemoryAnalysisCache` is the Map-backed default.
 */
export interface AnalysisCache {
  get(key: string): Promise<readonly Finding[] | undefined>;
  set(key: string, findings: readonly Finding[]): Promise<void>;
}

export class InMemoryAnalysisCache implements AnalysisCache {
  readonly #entries = new Map<string, readonly Finding[]>();

  async get(key: string): Promise<readonly Finding[] | undefined> {
    return this.#entries.get(key);
  }

  async set(key: string, findings: readonly Finding[]): Promise<void> {
    this.#entries.set(key, findings);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * sha256 of analyzer version, path and content. The path is part of the key because findings
 * and their fingerprints name the file: the same bytes at two paths are two results.
 */
export function analysisCacheKey(file: SourceFile): string {
  return createHash('sha256').update(ANALYZER_VERSION).update('\0').update(file.path).update('\0').update(file.content).digest('hex');
}

/** Findings for a file, computed only when its content (or the analyzer) changed. */
export async function analyzeFileCached(cache: AnalysisCache, file: SourceFile): Promise<{ findings: readonly Finding[]; cached: boolean }> {
  const key = analysisCacheKey(file);
  const hit = await cache.get(key);
  if (hit) return { findings: hit, cached: true };
  const findings = analyzeFile(file);
  await cache.set(key, findings);
  return { findings, cached: false };
}
