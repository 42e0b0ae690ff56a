// A deterministic embedder that needs no model and no network, so memory search works offline.
// It is feature hashing: word unigrams, word bigrams and character trigrams are hashed into 1536
// buckets with a hashed sign (which keeps collisions from adding up), then L2-normalised. Texts
// that share words and word pieces land close together; it knows nothing of synonyms.
import { EMBEDDING_DIMENSIONS } from './types.ts';

/** Stored next to every vector so vectors of different embedders are never compared. */
export const EMBEDDER_ID = {
  local: 'local-hash-v1',
  openai: 'openai:text-embedding-3-small',
} as const;
export type EmbedderId = (typeof EMBEDDER_ID)[keyof typeof EMBEDDER_ID];

const WEIGHT = { unigram: 1, bigram: 0.8, trigram: 0.35 } as const;

export function embedLocally(text: string): Float32Array {
  const vector = new Float32Array(EMBEDDING_DIMENSIONS);
  const words = text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    addFeature(vector, `w:${word}`, WEIGHT.unigram);
    if (i + 1 < words.length) addFeature(vector, `b:${word} ${words[i + 1]}`, WEIGHT.bigram);
    const padded = ` ${word} `;
    for (let j = 0; j + 3 <= padded.length; j++) addFeature(vector, `t:${padded.slice(j, j + 3)}`, WEIGHT.trigram);
  }
  // An empty text still gets a unit vector: a zero vector has no cosine distance in pgvector.
  if (words.length === 0) addFeature(vector, 'empty', 1);
  return normalise(vector);
}

export function embedAllLocally(texts: readonly string[]): Float32Array[] {
  return texts.map(embedLocally);
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  const sign = hash & 0x80000000 ? -1 : 1;
  vector[hash % EMBEDDING_DIMENSIONS]! += sign * weight;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, well spread, and stable across platforms. */
function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
