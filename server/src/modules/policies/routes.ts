import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { MAX_POLICY_BYTES, PolicyClauseParams, PolicyIdParams, PolicyVersionParams, ComplianceRunParams, policyRoutes } from '#protocol/policies.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { deletePolicy, getClause, getPolicy, getPolicyVersion, listPolicies, uploadPolicy } from './library.ts';
import { getControlMatrix, startComplianceReview } from './review/start.ts';
import { searchClauses } from './search.ts';
import { installStarterSet } from './starter.ts';
import { PolicyDocumentRow } from './policy.entity.ts';
import { requireReferences } from '#server/modules/audit/access-guard.ts';

export function policiesRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  // A PDF travels base64-encoded (4/3 of its size) inside JSON: room for the largest allowed document.
  const uploadDeps: MountDeps = { ...deps, bodyLimitBytes: Math.max(deps.bodyLimitBytes, Math.ceil((MAX_POLICY_BYTES * 4) / 3) + 64 * 1024) };
  const idOf = (params: Record<string, string>) => parseWith(PolicyIdParams, params, 'id').id;

  mount(router, deps, policyRoutes.list, async ({ auth }) => ({ items: await listPolicies(orm, auth) }));
  mount(router, uploadDeps, policyRoutes.upload, async ({ auth, body, ctx }) => {
    const result = await uploadPolicy(services, auth, body);
    if (!result.created) ctx.status = 200;
    return result;
  });
  // Before `get`, whose :id would otherwise see the words "starter" and "search" (and 400 on them).
  mount(router, deps, policyRoutes.installStarter, ({ auth }) => installStarterSet(services, auth));
  mount(router, deps, policyRoutes.search, async ({ auth, query }) => {
    // Another tenant's document is as unknown as a missing one: 404 "documentId: not found".
    if (query.documentId) await requireReferences(orm, auth, [{ field: 'documentId', entity: PolicyDocumentRow, id: query.documentId }]);
    return searchClauses(services, auth, query.q, { limit: query.limit, documentId: query.documentId });
  });
  mount(router, deps, policyRoutes.get, ({ auth, params }) => getPolicy(orm, auth, idOf(params)));
  mount(router, deps, policyRoutes.getVersion, ({ auth, params }) => {
    const { id, version } = parseWith(PolicyVersionParams, params, 'path');
    return getPolicyVersion(orm, auth, id, version);
  });
  mount(router, deps, policyRoutes.remove, ({ auth, params }) => deletePolicy(orm, auth, idOf(params)));
  mount(router, deps, policyRoutes.getClause, ({ auth, params }) => getClause(orm, auth, parseWith(PolicyClauseParams, params, 'id').id));
  mount(router, deps, policyRoutes.startReview, async ({ auth, params, body, ctx }) => {
    const run = await startComplianceReview(services, auth, parseWith(ProjectIdParams, params, 'id').id, body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, policyRoutes.getReview, ({ auth, params }) => getControlMatrix(orm, auth, parseWith(ComplianceRunParams, params, 'runId').runId));
  return router;
}
