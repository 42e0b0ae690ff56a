// What a note enrichment reads: by vector similarity to the note, the top code patterns, memory
// entries and workflow insights (where installed), plus the consolidation patterns closest to it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Citation, KnowledgeItemType } from '#protocol/notes.ts';
import { consolidationPatterns, similarityTo } from '#server/modules/memory/consolidation.ts';
import { installedSources, matchingText, nearestBy, widenVectorScans, type SearchableType } from '#server/modules/memory/sources.ts';

export interface RetrievedItem extends Citation {
  /** What the composer shows the model / the template quotes. */
  text: string;
}

/** Citation tags: [P1] code pattern, [M1] memory, [W1] workflow insight, [C1] consolidation pattern. */
const REF_PREFIX: Record<Exclude<KnowledgeItemType, 'note'>, string> = { code_pattern: 'P', memory: 'M', workflow_insight: 'W', consolidation: 'C' };
const RETRIEVED_TYPES: SearchableType[] = ['code_pattern', 'memory', 'workflow_insight'];

/** The note's distinct longer words, any of which may match (websearch syntax "a or b or c"). */
export function anyWordQuery(text: string, maxWords = 24): string {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}_]{4,}/gu) ?? [])].slice(0, maxWords);
  return words.join(' or ');
}

/**
 * `queryVectors` holds the note embedded by each embedder the project's stored vectors use. When
 * it is empty (the embedding provider is down), `noteText` is matched by full text instead, so an
 * enrichment still cites what it can. Runs inside one tenant transaction (pure reads, no network).
 */
export async function retrieveForNote(em: EntityManager, projectId: string, queryVectors: Map<string, number[]>, topK: number, noteText = ''): Promise<RetrievedItem[]> {
  const textOnly = queryVectors.size === 0;
  const orQuery = anyWordQuery(noteText);
  await widenVectorScans(em);
  const sources = (await installedSources(em)).filter((s) => RETRIEVED_TYPES.includes(s.type));
  const items: RetrievedItem[] = [];
  for (const source of sources) {
    const found = [];
    for (const [embedder, vector] of queryVectors) found.push(...(await nearestBy(em, source, projectId, embedder, vector, topK)));
    if (textOnly && orQuery) found.push(...(await matchingText(em, source, projectId, orQuery, topK)));
    found.sort((a, b) => b.score - a.score);
    found.slice(0, topK).forEach((c, i) =>
      items.push({ ref: `${REF_PREFIX[source.type as keyof typeof REF_PREFIX]}${i + 1}`, type: source.type, id: c.id, title: c.title, similarity: c.score, text: c.snippet }),
    );
  }
  const clusters = (await consolidationPatterns(em, projectId))
    .filter((cluster) => queryVectors.has(cluster.embedder))
    .map((cluster) => ({ cluster, similarity: similarityTo(queryVectors.get(cluster.embedder)!, cluster) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, Math.min(3, topK));
  clusters.forEach(({ cluster, similarity }, i) =>
    items.push({
      ref: `C${i + 1}`,
      type: 'consolidation',
      id: cluster.id,
      title: cluster.theme.length > 120 ? `${cluster.theme.slice(0, 117)}...` : cluster.theme,
      similarity,
      text: `${cluster.entryIds.length} memory entries (${cluster.kinds.join(', ')}) repeat this theme: ${cluster.theme}`,
    }),
  );
  return items;
}
