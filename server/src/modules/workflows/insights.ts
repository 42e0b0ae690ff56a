import { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { chatStructured } from '#server/modules/ai/engine/structured.ts';
import { EMBEDDING_DIMENSIONS } from '#server/modules/ai/engine/types.ts';
import type { WorkflowInsight } from '#protocol/workflows.ts';
import type { ModelGateway } from '#server/modules/ai/gateway.ts';
import { WorkflowInsightRow } from './insight.entity.ts';

export const InsightAnswer = z.object({
  insights: z.array(z.object({ title: z.string().min(1).max(200), content: z.string().min(1).max(2_000) })).max(5),
});
export type ExtractedInsight = z.infer<typeof InsightAnswer>['insights'][number];

const INSIGHT_SYSTEM =
  'You extract reusable insights from a finished workflow run: decisions, facts about the codebase, pitfalls found, conventions agreed. ' +
  'Each insight must make sense on its own months later. At most 5; fewer is fine.';

/** Without a model (or when it fails): one insight per step, its first paragraph, so memory still grows. */
export function fallbackInsights(workflowName: string, outputs: readonly { name: string; output: string }[]): ExtractedInsight[] {
  return outputs
    .filter((entry) => entry.output.trim())
    .slice(-5)
    .map((entry) => ({
      title: `${workflowName}: ${entry.name}`.slice(0, 200),
      content: (entry.output.trim().split(/\n\s*\n/)[0] ?? '').slice(0, 2_000),
    }));
}

export async function extractInsights(
  gateway: ModelGateway,
  workflowName: string,
  input: string,
  outputs: readonly { name: string; output: string }[],
  signal: AbortSignal,
): Promise<{ insights: ExtractedInsight[]; source: 'model' | 'fallback' }> {
  try {
    const transcript = outputs.map((entry) => `## ${entry.name}\n${entry.output.slice(0, 6_000)}`).join('\n\n');
    const { value } = await chatStructured(
      gateway.router,
      { system: INSIGHT_SYSTEM, messages: [{ role: 'user', content: `Workflow: ${workflowName}\nInput: ${input.slice(0, 4_000)}\n\n${transcript}` }], signal, maxTokens: 2_000 },
      InsightAnswer,
    );
    return { insights: value.insights, source: 'model' };
  } catch (error) {
    signal.throwIfAborted();
    void error; // no provider, a failing one, or unusable JSON: the deterministic fallback still records something
    return { insights: fallbackInsights(workflowName, outputs), source: 'fallback' };
  }
}

export function toVectorLiteral(vector: ArrayLike<number>): string {
  if (vector.length !== EMBEDDING_DIMENSIONS) throw new Error(`expected a ${EMBEDDING_DIMENSIONS}-d vector, got ${vector.length}`);
  return `[${Array.from(vector, (value) => (Number.isFinite(value) ? value : 0)).join(',')}]`;
}

/** Embeds and stores insights of one run (its earlier insights are replaced, so a re-executed run does not duplicate them). */
export async function storeInsights(
  orm: Orm,
  scope: TenantScope,
  gateway: ModelGateway,
  where: { projectId: string; workflowId: string; runId: string },
  insights: readonly ExtractedInsight[],
): Promise<{ count: number; embedderId: string | null }> {
  if (!insights.length) return { count: 0, embedderId: null };
  const { vectors, embedderId } = await gateway.embeddings.embed(insights.map((insight) => `${insight.title}\n${insight.content}`));
  await withTenant(orm, scope, async (em) => {
    await em.nativeDelete(WorkflowInsightRow, { runId: where.runId });
    insights.forEach((insight, i) => {
      em.create(WorkflowInsightRow, { tenantId: scope.tenantId, ...where, title: insight.title, content: insight.content, embedding: Array.from(vectors[i]!), embedder: embedderId });
    });
    await em.flush();
  });
  return { count: insights.length, embedderId };
}

/**
 * The project's insights nearest to `queryVector` (cosine distance, HNSW index). Pass the
 * embedder that made the query vector: vectors of different embedders are not comparable, so
 * only insights embedded the same way are searched (default: the local embedder's).
 * Reused by note enrichment.
 */
export async function searchInsights(
  orm: Orm,
  auth: TenantScope,
  projectId: string,
  queryVector: ArrayLike<number>,
  k: number,
  embedderId = 'local-hash-v1',
): Promise<WorkflowInsight[]> {
  const literal = toVectorLiteral(queryVector);
  const rows = await withTenant(orm, auth, (em) =>
    em.execute<{ id: string; project_id: string; workflow_id: string; run_id: string; title: string; content: string; embedder: string; distance: number; created_at: Date }[]>(
      `select id, project_id, workflow_id, run_id, title, content, embedder, created_at, embedding <=> ?::vector as distance
         from workflow_insights where project_id = ? and embedder = ? order by embedding <=> ?::vector limit ?`,
      [literal, projectId, embedderId, literal, Math.max(1, Math.min(k, 100))],
    ),
  );
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    workflowId: row.workflow_id,
    runId: row.run_id,
    title: row.title,
    content: row.content,
    embedder: row.embedder,
    distance: Number(row.distance),
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/** The project's insights matching `q` by full text, best first: the stand-in when `q` cannot be embedded. */
export async function searchInsightsByText(orm: Orm, auth: TenantScope, projectId: string, q: string, k: number): Promise<WorkflowInsight[]> {
  const rows = await withTenant(orm, auth, (em) =>
    em.execute<{ id: string; project_id: string; workflow_id: string; run_id: string; title: string; content: string; embedder: string; created_at: Date }[]>(
      `select id, project_id, workflow_id, run_id, title, content, embedder, created_at
         from workflow_insights, websearch_to_tsquery('english', ?) q
        where project_id = ? and to_tsvector('english', title || ' ' || content) @@ q
        order by ts_rank_cd(to_tsvector('english', title || ' ' || content), q) desc, id limit ?`,
      [q, projectId, Math.max(1, Math.min(k, 100))],
    ),
  );
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    workflowId: row.workflow_id,
    runId: row.run_id,
    title: row.title,
    content: row.content,
    embedder: row.embedder,
    distance: null,
    createdAt: new Date(row.created_at).toISOString(),
  }));
}
