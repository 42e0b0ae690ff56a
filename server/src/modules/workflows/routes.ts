import Router from '@koa/router';
import { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { WorkflowIdParams, WorkflowRunParams, WorkflowVersionParams, WorkspaceWorkflowDocumentShape, workflowRoutes } from '#protocol/workflows.ts';
import { createModelGateway } from '#server/modules/ai/gateway.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { searchInsights, searchInsightsByText } from './insights.ts';
import { getWorkflowRun, retryWorkflowRun, startWorkflowRun } from './run-service.ts';
import { createWorkflow, deleteWorkflow, getVersion, getWorkflow, listVersions, listWorkflows, syncWorkflows, updateWorkflow } from './service.ts';

/** The JSON Schema the extension contributes for `.nyx/workflows/*.yaml` (generated from the zod schema, so they never disagree). */
export const WORKSPACE_WORKFLOW_JSON_SCHEMA = {
  ...z.toJSONSchema(WorkspaceWorkflowDocumentShape, { io: 'input' }),
  $id: 'https://nyx.dev/schemas/workflow.json',
  title: 'Nyx workflow (.nyx/workflows/*.yaml)',
};

export function workflowsRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const idOf = (params: Record<string, string>) => parseWith(WorkflowIdParams, params, 'id').id;
  const runIdOf = (params: Record<string, string>) => parseWith(WorkflowRunParams, params, 'runId').runId;
  const bigDeps: MountDeps = { ...deps, bodyLimitBytes: Math.max(deps.bodyLimitBytes, 4 * 1024 * 1024) };

  mount(router, deps, workflowRoutes.list, async ({ auth }) => ({ items: await listWorkflows(services, auth) }));
  // Before the :id routes, which would otherwise take "schema.json" and "sync".
  mount(router, deps, workflowRoutes.schema, async () => WORKSPACE_WORKFLOW_JSON_SCHEMA);
  mount(router, bigDeps, workflowRoutes.sync, ({ auth, body }) => syncWorkflows(services, auth, body));
  mount(router, deps, workflowRoutes.create, ({ auth, body }) => createWorkflow(services, auth, body));
  mount(router, deps, workflowRoutes.get, ({ auth, params }) => getWorkflow(services, auth, idOf(params)));
  mount(router, deps, workflowRoutes.update, ({ auth, params, body }) => updateWorkflow(services, auth, idOf(params), body));
  mount(router, deps, workflowRoutes.remove, ({ auth, params }) => deleteWorkflow(services, auth, idOf(params)));
  mount(router, deps, workflowRoutes.versions, async ({ auth, params }) => ({ items: await listVersions(services, auth, idOf(params)) }));
  mount(router, deps, workflowRoutes.version, ({ auth, params }) => {
    const { id, version } = parseWith(WorkflowVersionParams, params, 'version');
    return getVersion(services, auth, id, version);
  });
  mount(router, bigDeps, workflowRoutes.startRun, async ({ auth, params, body, ctx }) => {
    const run = await startWorkflowRun(services, auth, idOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, workflowRoutes.getRun, ({ auth, params }) => getWorkflowRun(services, auth, runIdOf(params)));
  mount(router, deps, workflowRoutes.retry, async ({ auth, params, ctx }) => {
    const run = await retryWorkflowRun(services, auth, runIdOf(params));
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, workflowRoutes.insights, async ({ auth, params, query }) => {
    const projectId = parseWith(ProjectIdParams, params, 'id').id;
    await requireProject(services.orm, auth, projectId);
    // Embedded outside any transaction, with the tenant's embedder (the one its insights were stored with).
    // The provider being down costs the similarity ranking, not the answer: full text stands in.
    const gateway = await createModelGateway(services, auth);
    const embedded = await gateway.embeddings.embed([query.q]).catch((error: unknown) => {
      services.log.warn({ err: error, projectId }, 'insight search: the query could not be embedded; ranking by text only');
      return null;
    });
    if (!embedded) {
      return { items: await searchInsightsByText(services.orm, auth, projectId, query.q, query.k), ranking: { mode: 'text-only' as const, reason: 'provider_unavailable' as const, pendingVectors: 0 } };
    }
    return { items: await searchInsights(services.orm, auth, projectId, embedded.vectors[0]!, query.k, embedded.embedderId), ranking: { mode: 'hybrid' as const, reason: null, pendingVectors: 0 } };
  });
  return router;
}
