import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RunContext } from '#server/modules/runs/engine/registry.ts';
import type { ManifestEntry } from '#protocol/analysis.ts';
import { ANALYSIS_EVENT } from '#protocol/analysis.ts';
import { analyzeFile } from './analyzers/analyze-file.ts';
import { cacheKeyOf, readCache, writeCache, type CacheSlot, type FindingWithSnippet } from './analysis-cache.ts';
import { blobContents } from './blob-store.ts';
import type { RuleSet } from './rule-set.ts';
import { snippetAt } from './snippets.ts';

export interface BuiltinPassResult {
  findings: FindingWithSnippet[];
  analyzed: number;
  cacheHits: number;
}

/** Blobs read from the database per round trip while analyzing cache misses. */
const CONTENT_BATCH_BYTES = 4 * 1024 * 1024;
/** Analyzing is synchronous CPU work: give the event loop (requests, heartbeats) a turn this often. */
const YIELD_EVERY_MS = 20;
/** Runs that analyze at most this many files send no progress before they are done. */
const QUIET_RUN_FILES = 20;

/** Batches of entries whose contents add up to about CONTENT_BATCH_BYTES. */
function byContentSize(entries: readonly ManifestEntry[]): ManifestEntry[][] {
  const batches: ManifestEntry[][] = [];
  let current: ManifestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length && bytes + entry.size > CONTENT_BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.size;
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * The built-in analyzers over `files`. Results come from analysis_cache where the (blob, path,
 * analyzer version, rule set) was analyzed before; only the rest is read and parsed. `unchanged`
 * files of the snapshot are not looked at (an incremental analysis carries their findings over)
 * and count as cache hits. Progress covers the first `share` of the run.
 */
export async function runBuiltinPass(context: RunContext, files: readonly ManifestEntry[], ruleSet: RuleSet, share: number, unchanged = 0): Promise<BuiltinPassResult> {
  const { run } = context;
  const slots = new Map<string, CacheSlot>(files.map((file) => [file.path, { key: cacheKeyOf(ruleSet.key, file.path, file.sha256), path: file.path, blobSha256: file.sha256 }]));
  const findings: FindingWithSnippet[] = [];
  const misses: ManifestEntry[] = [];
  // A small run reads the contents of its misses in the cache read's transaction: one round trip less.
  const prefetched = await context.withTenant(async (em) => {
    const cached = files.length ? await readCache(em, [...slots.values()].map((slot) => slot.key)) : new Map<string, FindingWithSnippet[]>();
    for (const file of files) {
      const hit = cached.get(slots.get(file.path)!.key);
      if (hit) findings.push(...hit);
      else misses.push(file);
    }
    return misses.length && misses.length <= QUIET_RUN_FILES ? blobContents(em, [...new Set(misses.map((file) => file.sha256))]) : null;
  });
  const total = files.length + unchanged;
  let done = total - misses.length;
  const report = async () => {
    await context.emit(ANALYSIS_EVENT.files, { done, total, cacheHits: total - misses.length });
    await context.progress(total ? (done / total) * share : share, `analyzed ${done} of ${total} files`);
  };
  const batches = byContentSize(misses);
  // A few files take milliseconds: such a run reports once, at its end (every event is a commit).
  if (misses.length === 0 || misses.length > QUIET_RUN_FILES) await report();

  let lastYield = performance.now();
  for (const batch of batches) {
    context.signal.throwIfAborted();
    const contents = prefetched ?? (await context.withTenant((em) => blobContents(em, [...new Set(batch.map((file) => file.sha256))])));
    const computed: (CacheSlot & { findings: FindingWithSnippet[] })[] = [];
    for (const file of batch) {
      const content = contents.get(file.sha256);
      if (!content) throw new Error(`blob ${file.sha256} of ${file.path} is missing from the store`);
      const covered = analyzeFile({ path: file.path, content }, { includeGenerated: ruleSet.includeGenerated }).filter((finding) => ruleSet.covers(finding.ruleId));
      // Most files have no finding: split a file into lines only when a snippet is needed.
      const lines = covered.length ? content.toString('utf8').split('\n') : [];
      const fileFindings = covered.map((finding) => ({ ...finding, snippet: snippetAt(lines, finding.range.startLine, finding.ruleId) }));
      computed.push({ ...slots.get(file.path)!, findings: fileFindings });
      findings.push(...fileFindings);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        context.signal.throwIfAborted();
        lastYield = performance.now();
      }
    }
    await context.withTenant((em) => writeCache(em, run.tenantId, ruleSet.key, computed));
    done += batch.length;
    await report();
  }
  return { findings, analyzed: misses.length, cacheHits: total - misses.length };
}
