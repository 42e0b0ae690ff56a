import type { MemorySearchHit } from '#protocol/memory.ts';

/**
 * How a memory search hit is shown: a bar and a word instead of the raw fusion score, and how it
 * was found in words. The score is reciprocal-rank fusion (1/(60 + rank) per ranking that found
 * the hit), so its size says little by itself; its place among the hits says more. The bar is
 * the hit's share of the best hit's score, and a hit both rankings found ranks above one only
 * one of them found.
 */
export interface Relevance {
  /** e.g. "●●●●○" */
  bar: string;
  /** "best match", "strong", "good", "weak" */
  word: string;
  /** "same meaning and words", "similar meaning", "same words" */
  foundBy: string;
}

const BAR_LENGTH = 5;

export function describeRelevance(hit: MemorySearchHit, best: number): Relevance {
  const share = best > 0 ? Math.min(1, hit.score / best) : 0;
  const filled = Math.max(1, Math.round(share * BAR_LENGTH));
  const both = hit.vectorRank !== null && hit.textRank !== null;
  const word = share >= 0.999 ? 'best match' : share >= 0.75 ? 'strong' : share >= 0.5 ? 'good' : 'weak';
  const foundBy = both ? 'same meaning and words' : hit.vectorRank !== null ? 'similar meaning' : hit.textRank !== null ? 'same words' : 'related';
  return { bar: '●'.repeat(filled) + '○'.repeat(BAR_LENGTH - filled), word, foundBy };
}
