import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { NotFoundError } from '#server/errors.ts';
import { sweepOrphanRuns } from '#server/modules/runs/engine/sweep.ts';
import type { AnalysisStart } from '#protocol/analysis.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { createRun } from '#server/modules/runs/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { ANALYSIS_RUN_KIND } from './analysis-run.ts';
import { selectRules } from './rule-set.ts';
import { requireProject } from './snapshot-service.ts';
import { Snapshot } from './snapshot.entity.ts';

type StartServices = Pick<AppServices, 'orm' | 'runs' | 'log' | 'config'>;

/**
 * Starts a run of `kind` through the runs module (its dedup guard returns an equal run that is
 * active or succeeded within 3 minutes). The runner's orphan sweep goes first, so a run that died
 * without a heartbeat is failed now instead of being handed back as "already running".
 */
export async function startProjectRun(services: StartServices, auth: Authenticated, projectId: string, kind: string, input: Record<string, unknown>): Promise<RunCreated> {
  const { orm, runs, log, config } = services;
  await sweepOrphanRuns(orm, runs.bus, log, { maxAttempts: config.runMaxAttempts, stuckMs: config.runStuckMs });
  return createRun({ orm, bus: runs.bus, registry: runs.registry }, auth, { kind, projectId, input });
}

export async function startAnalysis(services: StartServices, auth: Authenticated, projectId: string, body: z.output<typeof AnalysisStart>): Promise<RunCreated> {
  await requireProject(services.orm, auth, projectId);
  selectRules(body.rules);
  // Only whether it exists: the manifest (thousands of entries) is the run's to read.
  const snapshot = await withTenant(services.orm, auth, (em) => em.findOne(Snapshot, { id: body.snapshotId, projectId }, { fields: ['id'] }));
  if (!snapshot) throw new NotFoundError(`snapshot ${body.snapshotId} of project ${projectId}`);
  return startProjectRun(services, auth, projectId, ANALYSIS_RUN_KIND, body);
}
