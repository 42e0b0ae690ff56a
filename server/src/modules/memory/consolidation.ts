// Consolidation patterns: recurring themes in a project's memory. When people and runs keep
// writing down nearly the same decision or fact, those entries form a cluster: entries joined
// (transitively) by a cosine similarity of at least CONSOLIDATION_THRESHOLD between their
// vectors of the same embedder. A cluster of two or more entries is a pattern: the theme the
// project keeps coming back to, and a candidate for merging into one entry.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsolidationPattern, MemoryKind } from '#protocol/memory.ts';
import { MemoryEntryRow, type IMemoryEntry } from './memory-entry.entity.ts';

export const CONSOLIDATION_THRESHOLD = 0.72;
/** The newest entries considered: the pairwise pass is quadratic. */
const MAX_ENTRIES = 400;

const STOP_WORDS = new Set('a an and are as at be by for from has have in is it its of on or that the this to was we were will with use used using not no do does should must all any our'.split(' '));

/** An entry that has its vector (entries still waiting for one cannot be clustered yet). */
type EmbeddedEntry = IMemoryEntry & { embedding: number[] };

export interface ConsolidationCluster extends ConsolidationPattern {
  embedder: string;
  /** Mean of the members' vectors, for ranking clusters against a note. */
  centroid: number[];
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** The words the members share most: what the theme is about. */
function themeOf(members: EmbeddedEntry[]): string {
  const counts = new Map<string, number>();
  for (const member of members) {
    for (const word of new Set(member.text.toLowerCase().match(/[\p{L}\p{N}_]{3,}/gu) ?? [])) {
      if (!STOP_WORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const shared = [...counts].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([w]) => w);
  const first = members[0]!.text.length > 100 ? `${members[0]!.text.slice(0, 97)}...` : members[0]!.text;
  return shared.length ? `${shared.join(', ')}: ${first}` : first;
}

export function clusterEntries(entries: EmbeddedEntry[], threshold = CONSOLIDATION_THRESHOLD): ConsolidationCluster[] {
  const parent = entries.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const similarity = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      if (entries[i]!.embedder !== entries[j]!.embedder) continue;
      const s = cosine(entries[i]!.embedding, entries[j]!.embedding);
      if (s < threshold) continue;
      similarity.set(`${i}:${j}`, s);
      parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, number[]>();
  entries.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  const clusters: ConsolidationCluster[] = [];
  for (const indexes of groups.values()) {
    if (indexes.length < 2) continue;
    const members = indexes.map((i) => entries[i]!).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < indexes.length; a++) {
      for (let b = a + 1; b < indexes.length; b++) {
        const [i, j] = [Math.min(indexes[a]!, indexes[b]!), Math.max(indexes[a]!, indexes[b]!)];
        sum += similarity.get(`${i}:${j}`) ?? cosine(entries[i]!.embedding, entries[j]!.embedding);
        pairs++;
      }
    }
    const dimensions = members[0]!.embedding.length;
    const centroid = Array.from({ length: dimensions }, (_, d) => members.reduce((acc, m) => acc + m.embedding[d]!, 0) / members.length);
    clusters.push({
      id: members[0]!.id,
      theme: themeOf(members),
      entryIds: members.map((m) => m.id),
      kinds: [...new Set(members.map((m) => m.kind as MemoryKind))],
      cohesion: sum / pairs,
      embedder: members[0]!.embedder,
      centroid,
    });
  }
  return clusters.sort((a, b) => b.entryIds.length - a.entryIds.length || b.cohesion - a.cohesion);
}

/** The project's consolidation patterns, biggest first (inside a tenant transaction). */
export async function consolidationPatterns(em: EntityManager, projectId: string, threshold = CONSOLIDATION_THRESHOLD): Promise<ConsolidationCluster[]> {
  const entries = await em.find(MemoryEntryRow, { projectId, embedding: { $ne: null } }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_ENTRIES });
  return clusterEntries(entries as EmbeddedEntry[], threshold);
}

export function similarityTo(vector: readonly number[], cluster: ConsolidationCluster): number {
  return cosine(vector, cluster.centroid);
}
