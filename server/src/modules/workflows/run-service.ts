import type { z } from 'zod';
import type { AppServices } from '#server/services.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import { ConflictError, NotFoundError, ValidationError } from '#server/errors.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { WORKFLOW_RUN_KIND, WorkflowRunInput, type WorkflowRunDetail, type WorkflowRunStart } from '#protocol/workflows.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { toRunDto } from '#server/modules/runs/dto.ts';
import { RunRow } from '#server/modules/runs/run.entity.ts';
import { createRun } from '#server/modules/runs/service.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { WorkflowStepOutputRow } from './step-output.entity.ts';
import { WorkflowRow, WorkflowVersionRow } from './workflow.entity.ts';

type Services = Pick<AppServices, 'orm' | 'runs'>;

function runServices(services: Services) {
  return { orm: services.orm, bus: services.runs.bus, registry: services.runs.registry };
}

/** Starts a run pinned to the workflow's current version (or the one asked for). */
export async function startWorkflowRun(services: Services, auth: Authenticated, workflowId: string, body: z.input<typeof WorkflowRunStart>): Promise<RunCreated> {
  const pinned = await withTenant(services.orm, auth, async (em) => {
    const row = await em.findOne(WorkflowRow, { id: workflowId });
    if (!row) return null;
    const version = body.version ?? row.currentVersion;
    if (!(await em.findOne(WorkflowVersionRow, { workflowId, version }))) throw new ValidationError(`version: workflow "${row.name}" has no version ${version}`, 'version');
    return version;
  });
  if (pinned === null) await requireFound(services.orm, auth, WorkflowRow, 'workflow', workflowId, null);
  const input = { workflowId, version: pinned!, input: body.input ?? '', files: body.files ?? [] };
  return createRun(runServices(services), auth, { kind: WORKFLOW_RUN_KIND, projectId: body.projectId, input });
}

async function requireWorkflowRun(services: Services, auth: Authenticated, runId: string) {
  const run = await withTenant(services.orm, auth, (em) => em.findOne(RunRow, { id: runId }));
  const found = await requireFound(services.orm, auth, RunRow, 'workflow run', runId, run);
  if (found.kind !== WORKFLOW_RUN_KIND) throw new NotFoundError(`workflow run ${runId}`);
  return found;
}

export async function getWorkflowRun(services: Services, auth: Authenticated, runId: string): Promise<WorkflowRunDetail> {
  const run = await requireWorkflowRun(services, auth, runId);
  const input = WorkflowRunInput.parse(run.input);
  return withTenant(services.orm, auth, async (em) => {
    const version = await em.findOne(WorkflowVersionRow, { workflowId: input.workflowId, version: input.version });
    const outputs = await em.find(WorkflowStepOutputRow, { runId }, { orderBy: { stepIndex: 'asc' } });
    const byIndex = new Map(outputs.map((row) => [row.stepIndex, row]));
    const firstMissing = (version?.steps ?? []).findIndex((_step, index) => !byIndex.has(index));
    const steps = (version?.steps ?? []).map((step, index) => {
      const output = byIndex.get(index);
      const status = output ? (output.reusedFromRunId ? 'reused' : 'completed') : run.status === 'failed' && index === firstMissing ? 'failed' : 'pending';
      return { index, name: step.name, persona: step.persona, status, output: output?.output ?? null, provider: output?.provider ?? null, model: output?.model ?? null, injected: output?.injected ?? [] } as const;
    });
    return { run: toRunDto(run), workflowId: input.workflowId, workflowName: version?.name ?? '(deleted workflow)', version: input.version, steps };
  });
}

/**
 * A new run of the same pinned version and input that starts at the first step without output:
 * the earlier outputs are copied from the failed run (`workflow.step.reused` events), not
 * recomputed. Only a failed or cancelled run can be retried.
 */
export async function retryWorkflowRun(services: Services, auth: Authenticated, runId: string): Promise<RunCreated> {
  const run = await requireWorkflowRun(services, auth, runId);
  if (run.status !== 'failed' && run.status !== 'cancelled') {
    throw new ConflictError(`Only a failed or cancelled run can be retried; this one is ${run.status}`, 'runId');
  }
  const input = WorkflowRunInput.parse(run.input);
  const done = await withTenant(services.orm, auth, (em) => em.find(WorkflowStepOutputRow, { runId }, { orderBy: { stepIndex: 'asc' }, fields: ['stepIndex'] }));
  let startAtStep = 0;
  while (done[startAtStep]?.stepIndex === startAtStep) startAtStep++;
  const { retryOf: _previous, startAtStep: _from, ...rest } = input;
  return createRun(runServices(services), auth, { kind: WORKFLOW_RUN_KIND, projectId: run.projectId, input: { ...rest, retryOf: runId, startAtStep } });
}
