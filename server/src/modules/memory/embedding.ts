import type { TenantScope } from '#server/db/tenant-context.ts';
import type { EmbedderId } from '#server/modules/ai/engine/local-embedder.ts';
import { createModelGateway, type GatewayServices } from '#server/modules/ai/gateway.ts';

export interface StoredEmbedding {
  embedder: EmbedderId;
  vectors: number[][];
}

/**
 * Embeds texts for storage with the tenant's embedder: OpenAI's when it has a key, else the local
 * one. A model call: never inside a transaction.
 */
export async function embedForStorage(services: GatewayServices, scope: TenantScope, texts: string[], runId?: string): Promise<StoredEmbedding> {
  const gateway = await createModelGateway(services, scope, runId ? { runId } : {});
  const { embedderId, vectors } = await gateway.embeddings.embed(texts, runId ? { runId } : {});
  return { embedder: embedderId, vectors: vectors.map((v) => Array.from(v)) };
}

/** The query embedded once per embedder that made the stored vectors it will be compared with. */
export async function embedQuery(services: GatewayServices, scope: TenantScope, text: string, embedders: Iterable<string>, runId?: string): Promise<Map<string, number[]>> {
  const wanted = [...new Set(embedders)] as EmbedderId[];
  const out = new Map<string, number[]>();
  if (!wanted.length) return out;
  const gateway = await createModelGateway(services, scope, runId ? { runId } : {});
  for (const embedder of wanted) {
    const { vectors } = await gateway.embeddings.embed([text], { embedder, ...(runId ? { runId } : {}) });
    out.set(embedder, Array.from(vectors[0]!));
  }
  return out;
}

/** pgvector's text form, bound as a parameter and cast with ::vector. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(',')}]`;
}
