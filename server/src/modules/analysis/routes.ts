import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError } from '#server/errors.ts';
import type { NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { analysisRoutes, BlobParams, FindingIdParams, RuleIdParams } from '#protocol/analysis.ts';
import { ProjectIdParams } from '#protocol/projects.ts';
import { startAnalysis } from './analysis-service.ts';
import { insertBlobs, verifyUpload } from './blob-store.ts';
import { getFinding, listCodePatterns, listFindings } from './findings-service.ts';
import { triageFinding } from '#server/modules/triage/triage-service.ts';
import { readRawBody } from './raw-body.ts';
import { findRule, ruleCatalog, ruleDocsPath } from './rule-docs.ts';
import { renderRulePage, RULE_PAGE_CSP } from './rule-page.ts';
import { SARIF_CONTENT_TYPE } from './sarif.ts';
import { exportSarif } from './sarif-export.ts';
import { checkSnapshot, createSnapshot, requireProject } from './snapshot-service.ts';
import { Snapshot } from './snapshot.entity.ts';
import { requireReferences } from '#server/modules/audit/access-guard.ts';

export function analysisRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm, config } = services;
  const limits = { maxBlobBytes: config.maxBlobBytes };
  // Manifests of large workspaces and blob batches exceed the default JSON body limit.
  const uploadDeps: MountDeps = { ...deps, bodyLimitBytes: Math.max(deps.bodyLimitBytes, config.snapshotBodyLimitBytes) };
  const projectOf = (params: Record<string, string>) => parseWith(ProjectIdParams, params, 'id').id;
  const findingOf = (params: Record<string, string>) => parseWith(FindingIdParams, params, 'id').id;

  mount(router, uploadDeps, analysisRoutes.checkSnapshot, ({ auth, params, body }) => checkSnapshot(orm, auth, projectOf(params), body, limits));
  mount(router, uploadDeps, analysisRoutes.createSnapshot, async ({ auth, params, body }) => {
    const projectId = projectOf(params);
    await requireProject(orm, auth, projectId);
    if (body.baseSnapshotId) await requireReferences(orm, auth, [{ field: 'baseSnapshotId', entity: Snapshot, id: body.baseSnapshotId }]);
    return createSnapshot(orm, auth, projectId, body, limits);
  });
  mount(router, deps, analysisRoutes.putBlob, async ({ auth, params, ctx }) => {
    const { sha256 } = parseWith(BlobParams, params, 'sha256');
    const content = await readRawBody(ctx.req, config.maxBlobBytes, `blob ${sha256}`);
    const blob = verifyUpload(sha256, content, config.maxBlobBytes, 'body');
    const created = await withTenant(orm, auth, (em) => insertBlobs(em, auth.tenantId, auth.userId, [blob]));
    if (!created.has(sha256)) ctx.status = 200;
    return { sha256, size: content.length, created: created.has(sha256) };
  });
  mount(router, uploadDeps, analysisRoutes.uploadBlobs, async ({ auth, body }) => {
    const blobs = body.blobs.map((item, index) => verifyUpload(item.sha256, Buffer.from(item.contentBase64, 'base64'), config.maxBlobBytes, `blobs.${index}`));
    const created = await withTenant(orm, auth, (em) => insertBlobs(em, auth.tenantId, auth.userId, blobs));
    return { items: blobs.map((blob) => ({ sha256: blob.sha256, size: blob.content.length, created: created.has(blob.sha256) })) };
  });

  mount(router, deps, analysisRoutes.startAnalysis, async ({ auth, params, body, ctx }) => {
    const run = await startAnalysis(services, auth, projectOf(params), body);
    if (run.deduplicated) ctx.status = 200;
    return run;
  });
  mount(router, deps, analysisRoutes.listFindings, ({ auth, params, query }) => listFindings(orm, auth, projectOf(params), query));
  mount(router, deps, analysisRoutes.exportSarif, async ({ auth, params, ctx }) => {
    // NYX_PUBLIC_URL when set (behind a proxy), else the scheme://host this request reached.
    const origin = (config.publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
    const log = await exportSarif(orm, auth, projectOf(params), origin);
    // A string body keeps the content type set here (Koa would call an object plain JSON). Compact:
    // upload limits (GitHub's 10 MB gzipped) count bytes, and tools pretty-print on their own.
    ctx.type = SARIF_CONTENT_TYPE;
    return JSON.stringify(log);
  });
  mount(router, deps, analysisRoutes.getFinding, ({ auth, params }) => getFinding(orm, auth, findingOf(params)));
  mount(router, deps, analysisRoutes.dismissFinding, ({ auth, params, body }) =>
    // The first triage route: a dismissal is a triage change (accepted unless it says otherwise).
    triageFinding(orm, services.runs.bus, auth, findingOf(params), { status: body.resolution ?? 'accepted', reason: body.reason }, 'dismiss'),
  );
  mount(router, deps, analysisRoutes.reopenFinding, ({ auth, params }) => triageFinding(orm, services.runs.bus, auth, findingOf(params), { status: 'reopened' }, 'reopen'));
  mount(router, deps, analysisRoutes.listPatterns, async ({ auth, params }) => ({ items: await listCodePatterns(orm, auth, projectOf(params)) }));

  mount(router, deps, analysisRoutes.listRules, async () => ruleCatalog());
  mount(router, deps, analysisRoutes.getRule, async ({ params, ctx }) => {
    const { ruleId } = parseWith(RuleIdParams, params, 'ruleId');
    const rule = findRule(ruleId);
    if (!rule) throw new NotFoundError(`rule ${ruleId}`);
    // A browser following the diagnostic link gets a page; API clients keep their JSON.
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.set('Content-Security-Policy', RULE_PAGE_CSP);
      ctx.type = 'html';
      return renderRulePage(rule);
    }
    return { ...rule, docsUrl: ruleDocsPath(rule.id) };
  });
  return router;
}
