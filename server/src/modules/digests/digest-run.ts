import type { AppServices } from '#server/services.ts';
import type { RunContext, RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { DIGEST_RUN_KIND, DigestRunInput } from '#protocol/digests.ts';
import { saveRunReport } from '#server/modules/reports/service.ts';
import { readActivity } from './activity.ts';
import { composeDigest, digestTitle } from './compose.ts';
import { DigestRow } from './digest.entity.ts';

type Services = Pick<AppServices, 'orm' | 'secretBox' | 'log'>;

/**
 * digest: read the period's activity, write the post (model or template), save it as a report of
 * kind digest and as a draft digest. Both are keyed by the run id, so a retried run rewrites them.
 */
async function writeDigest(services: Services, context: RunContext): Promise<unknown> {
  const { run, withTenant, progress, signal } = context;
  const input = DigestRunInput.parse(run.input);
  const scope = { tenantId: run.tenantId, userId: run.createdBy };
  const periodStart = new Date(input.periodStart);
  const periodEnd = new Date(input.periodEnd);
  const activity = await withTenant((em) => readActivity(em, run.projectId, periodStart, periodEnd));
  await progress(0.3, 'writing the post');
  const composed = await composeDigest(services, scope, run.id, activity, signal);
  const title = digestTitle(activity);
  const report = await saveRunReport(services, scope, {
    kind: 'digest',
    projectId: run.projectId,
    runId: run.id,
    title,
    markdown: composed.markdown,
    metadata: { periodStart: input.periodStart, periodEnd: input.periodEnd, summary: composed.summary, model: composed.model },
  });
  const digestId = await withTenant(async (em) => {
    const existing = await em.findOne(DigestRow, { runId: run.id });
    const fields = { reportId: report.id, periodStart, periodEnd, title, markdown: composed.markdown, summary: composed.summary, model: composed.model };
    const row = existing ? Object.assign(existing, fields) : em.create(DigestRow, { ...fields, tenantId: run.tenantId, projectId: run.projectId, runId: run.id, status: 'draft', createdBy: run.createdBy, publishedAt: null });
    await em.flush();
    return row.id;
  });
  return { digestId, reportId: report.id, model: composed.model };
}

export const digestRunKind: RunKindDefinition<Services> = { kind: DIGEST_RUN_KIND, input: DigestRunInput, handler: (services) => (context) => writeDigest(services, context) };
