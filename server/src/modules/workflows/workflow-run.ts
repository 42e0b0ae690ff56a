import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { WORKFLOW_EVENT, WORKFLOW_RUN_KIND, WorkflowRunInput, type ProjectField } from '#protocol/workflows.ts';
import { createModelGateway, type ModelGateway } from '#server/modules/ai/gateway.ts';
import { streamIntoEvents } from '#server/modules/discussions/text-stream.ts';
import { clipForMemory, rememberFromRunOrWarn } from '#server/modules/memory/service.ts';
import { findPersonaByRef } from '#server/modules/personas/store.ts';
import { Project } from '#server/modules/projects/project.entity.ts';
import { RunRow } from '#server/modules/runs/run.entity.ts';
import { extractInsights, searchInsights, storeInsights } from './insights.ts';
import { WorkflowStepOutputRow } from './step-output.entity.ts';
import { findVersion } from './store.ts';
import { renderStep, usesMemory, type TemplateScope } from './template.ts';
import { policiesContext } from '#server/modules/policies/context.ts';
import { WorkflowRow } from './workflow.entity.ts';

type WorkflowServices = Pick<AppServices, 'orm' | 'secretBox' | 'log'>;

/** Loads what the run needs in one short transaction, and (re)writes the reused outputs of a retry. */
async function prepare(em: EntityManager, context: RunContext, input: WorkflowRunInput) {
  const { run } = context;
  const workflow = await em.findOne(WorkflowRow, { id: input.workflowId });
  const version = await findVersion(em, input.workflowId, input.version);
  const project = await em.findOne(Project, { id: run.projectId });
  if (!workflow || !version || !project) throw new Error(`workflow ${input.workflowId} version ${input.version} or its project no longer exists`);
  const personas = [];
  for (const [index, step] of version.steps.entries()) {
    const persona = await findPersonaByRef(em, run.tenantId, step.persona);
    if (!persona) throw new Error(`step ${index + 1} "${step.name}": persona "${step.persona}" no longer exists`);
    personas.push(persona);
  }
  // Executed again after a crash: start clean, keeping nothing but what a retry reuses.
  await em.nativeDelete(WorkflowStepOutputRow, { runId: run.id });
  const startAt = input.retryOf ? (input.startAtStep ?? 0) : 0;
  const reused = input.retryOf ? await em.find(WorkflowStepOutputRow, { runId: input.retryOf, stepIndex: { $lt: startAt } }, { orderBy: { stepIndex: 'asc' } }) : [];
  if (reused.length !== startAt) throw new Error(`run ${input.retryOf} has outputs for ${reused.length} steps, not the ${startAt} this retry needs`);
  for (const row of reused) {
    em.create(WorkflowStepOutputRow, {
      tenantId: run.tenantId,
      runId: run.id,
      stepIndex: row.stepIndex,
      stepName: row.stepName,
      personaId: row.personaId ?? null,
      output: row.output,
      injected: row.injected,
      provider: row.provider ?? null,
      model: row.model ?? null,
      reusedFromRunId: row.reusedFromRunId ?? input.retryOf!,
    });
  }
  await em.flush();
  const projectFields: Record<ProjectField, string> = {
    name: project.name,
    description: project.description,
    github: project.githubOwner && project.githubRepo ? `${project.githubOwner}/${project.githubRepo}${project.githubBranch ? `@${project.githubBranch}` : ''}` : '(not linked)',
    scanPath: `/${project.scanPath}`,
  };
  return { workflow, version, personas, reused, startAt, projectFields };
}

async function recallMemory(services: WorkflowServices, context: RunContext, gateway: ModelGateway, query: string): Promise<string> {
  const { vectors, embedderId } = await gateway.embeddings.embed([query || '(empty input)']);
  const scope = { tenantId: context.run.tenantId, userId: context.run.createdBy };
  const found = await searchInsights(services.orm, scope, context.run.projectId, vectors[0]!, 5, embedderId);
  return found.length ? found.map((insight) => `- ${insight.title}: ${insight.content}`).join('\n') : '(no insights recorded for this project yet)';
}

export function workflowHandler(services: WorkflowServices) {
  return async (context: RunContext) => {
    const { run } = context;
    const input = WorkflowRunInput.parse(run.input);
    const { workflow, version, personas, reused, startAt, projectFields } = await context.withTenant((em) => prepare(em, context, input));
    const steps = version.steps;
    const scope = { tenantId: run.tenantId, userId: run.createdBy };
    const gateway = await createModelGateway(services, scope, { runId: run.id });
    const earlier: { name: string; output: string }[] = [];
    for (const row of reused) {
      earlier.push({ name: row.stepName, output: row.output });
      await context.emit(WORKFLOW_EVENT.stepReused, { index: row.stepIndex, name: row.stepName, fromRunId: input.retryOf });
    }
    if (startAt > 0) await context.progress(startAt / steps.length, `reused ${startAt} step(s) of run ${input.retryOf}`);
    const memory = steps.slice(startAt).some(usesMemory) ? await recallMemory(services, context, gateway, input.input) : '';
    // The team's policy clauses bearing on the input: for {{policies}} and the automatic context
    // (null, and nothing added, when the team has no policies).
    const policies = await policiesContext(services, scope, input.input || `${workflow.name}: ${workflow.description ?? ''}`, { runId: run.id });

    for (let index = startAt; index < steps.length; index++) {
      context.signal.throwIfAborted();
      const step = steps[index]!;
      const persona = personas[index]!;
      await context.emit(WORKFLOW_EVENT.stepStarted, { index, name: step.name, personaId: persona.id, personaName: persona.name, model: step.model ?? persona.defaultModel ?? null });
      const templateScope: TemplateScope = { input: input.input, files: input.files, project: projectFields, memory, policies, earlier: [...earlier] };
      const rendered = renderStep(step, templateScope);
      await context.emit(WORKFLOW_EVENT.stepContext, { index, name: step.name, injected: rendered.injected, prompt: rendered.prompt });
      let answer;
      try {
        answer = await streamIntoEvents(
          gateway,
          {
            explicit: step.model,
            personaDefault: persona.defaultModel ?? undefined,
            personaId: persona.id,
            system: [persona.systemPrompt, `You are ${persona.name}, ${persona.role}. You do step ${index + 1} of ${steps.length} ("${step.name}") of the workflow "${workflow.name}".`].filter(Boolean).join('\n\n'),
            messages: [{ role: 'user', content: rendered.prompt }],
            signal: context.signal,
          },
          (text) => context.emit(WORKFLOW_EVENT.stepDelta, { index, name: step.name, text }),
        );
      } catch (error) {
        if (context.signal.aborted) throw error;
        const message = (error as Error).message;
        await context.emit(WORKFLOW_EVENT.stepFailed, { index, name: step.name, error: message });
        throw new Error(`step ${index + 1} "${step.name}" failed: ${message} (retry from this step with POST /api/v1/workflow-runs/${run.id}/retry)`);
      }
      await context.withTenant(async (em) => {
        em.create(WorkflowStepOutputRow, { tenantId: run.tenantId, runId: run.id, stepIndex: index, stepName: step.name, personaId: persona.id, output: answer.text, injected: rendered.injected, provider: answer.provider, model: answer.model, reusedFromRunId: null });
        await em.flush();
      });
      earlier.push({ name: step.name, output: answer.text });
      await context.emit(WORKFLOW_EVENT.stepCompleted, { index, name: step.name, output: answer.text, provider: answer.provider, model: answer.model });
      await context.progress((index + 1) / steps.length, `step ${index + 1} of ${steps.length}: ${step.name}`);
    }

    const extracted = await extractInsights(gateway, workflow.name, input.input, earlier, context.signal);
    const stored = await storeInsights(services.orm, scope, gateway, { projectId: run.projectId, workflowId: workflow.id, runId: run.id }, extracted.insights);
    await context.emit(WORKFLOW_EVENT.insights, { count: stored.count, embedderId: stored.embedderId, source: extracted.source });
    // Only here, once every step succeeded (a failed step threw above): what the workflow
    // concluded is its last step's output. Remembering may fail without failing the run.
    context.signal.throwIfAborted(); // a cancelled run remembers nothing
    const conclusion = earlier.at(-1)!;
    await rememberFromRunOrWarn(services, scope, {
      projectId: run.projectId,
      runId: run.id,
      source: 'workflow',
      items: [{ kind: 'fact', text: `Workflow "${workflow.name}" concluded (step "${conclusion.name}"): ${clipForMemory(conclusion.output, 800)}` }],
    });
    return { workflowId: workflow.id, version: version.version, steps: steps.length, reusedSteps: startAt, insights: stored.count };
  };
}

export const workflowRunKind: RunKindDefinition<WorkflowServices> = {
  kind: WORKFLOW_RUN_KIND,
  input: WorkflowRunInput,
  references: (input) => {
    const { workflowId, retryOf } = input as WorkflowRunInput;
    return [...inputReferences(WorkflowRow, 'workflowId', workflowId), ...inputReferences(RunRow, 'retryOf', retryOf)];
  },
  handler: (services) => workflowHandler(services),
};
