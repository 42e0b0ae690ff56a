import { RUN_EVENT, RunDoneData, RunStatusData } from '#protocol/events.ts';
import type { RunEventMessage } from '#protocol/events.ts';
import { WORKFLOW_EVENT, WorkflowStepContext } from '#protocol/workflows.ts';
import type { WorkflowRunDetail } from '#protocol/workflows.ts';
import type { WorkflowRunStepView, WorkflowRunViewState } from '#protocol/webview.ts';

/**
 * The view of a run before its events are replayed: the steps from GET /api/v1/workflow-runs/:id,
 * outputs emptied (the replay streams them in again) except reused ones, whose output the run's
 * events do not carry.
 */
export function initialWorkflowRunState(detail: WorkflowRunDetail): WorkflowRunViewState {
  return {
    runId: detail.run.id,
    workflowName: detail.workflowName,
    version: detail.version,
    status: detail.run.status === 'pending' ? 'pending' : 'running',
    error: null,
    steps: detail.steps.map((step) => ({
      index: step.index,
      name: step.name,
      persona: step.persona,
      status: step.status === 'reused' ? 'reused' : 'pending',
      output: step.status === 'reused' ? (step.output ?? '') : '',
      model: step.status === 'reused' ? step.model : null,
      error: null,
      injected: [],
      prompt: null,
    })),
    lastSeq: 0,
    live: true,
    retriedAs: null,
  };
}

/** Outputs the events could not give (reused steps), from the run detail once the run ended. */
export function fillFromDetail(state: WorkflowRunViewState, detail: WorkflowRunDetail): WorkflowRunViewState {
  return {
    ...state,
    steps: state.steps.map((step) => {
      const stored = detail.steps.find((candidate) => candidate.index === step.index);
      if (!stored || step.output || !stored.output) return step;
      return { ...step, output: stored.output, status: stored.status === 'pending' ? step.status : stored.status, model: stored.model ?? step.model };
    }),
  };
}

type StepData = { index: number; name: string; [key: string]: unknown };

/** Applies one run event; events at or before `lastSeq` are ignored (a resumed stream is safe). */
export function applyWorkflowEvent(state: WorkflowRunViewState, event: RunEventMessage): WorkflowRunViewState {
  if (event.seq <= state.lastSeq) return state;
  const next = { ...state, lastSeq: event.seq };
  const data = (event.data ?? {}) as StepData;
  const patch = (change: (step: WorkflowRunStepView) => Partial<WorkflowRunStepView>) => {
    next.steps = next.steps.map((step) => (step.index === data.index ? { ...step, ...change(step) } : step));
  };
  switch (event.type) {
    case WORKFLOW_EVENT.stepStarted:
      patch(() => ({ status: 'running', output: '', error: null, model: typeof data.model === 'string' ? data.model : null, persona: typeof data.personaName === 'string' ? data.personaName : undefined }) as Partial<WorkflowRunStepView>);
      break;
    case WORKFLOW_EVENT.stepContext: {
      const context = WorkflowStepContext.safeParse(event.data);
      if (context.success) patch(() => ({ injected: context.data.injected, prompt: context.data.prompt }));
      break;
    }
    case WORKFLOW_EVENT.stepDelta:
      patch((step) => ({ output: step.output + String(data.text ?? '') }));
      break;
    case WORKFLOW_EVENT.stepCompleted:
      patch(() => ({ status: 'completed', output: String(data.output ?? ''), model: typeof data.model === 'string' ? data.model : null }));
      break;
    case WORKFLOW_EVENT.stepReused:
      patch(() => ({ status: 'reused' }));
      break;
    case WORKFLOW_EVENT.stepFailed:
      patch(() => ({ status: 'failed', error: String(data.error ?? 'failed') }));
      break;
    case RUN_EVENT.status: {
      const parsed = RunStatusData.safeParse(event.data);
      if (parsed.success) next.status = parsed.data.status;
      break;
    }
    case RUN_EVENT.done: {
      const parsed = RunDoneData.safeParse(event.data);
      if (parsed.success) Object.assign(next, { status: parsed.data.status, error: parsed.data.error, live: false });
      break;
    }
  }
  return next;
}
