import { z } from 'zod';
import { SearchRanking } from './memory.ts';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { ContextFile } from './discussions.ts';
import { Run, RunCreated } from './runs.ts';

export const WORKFLOW_RUN_KIND = 'workflow';

/**
 * The workflow template language (docs/team.md): `{{input}}`, `{{steps.<name>.output}}`,
 * `{{project.name|description|github|scanPath}}`, `{{memory}}`, `{{files}}`, `{{policies}}` (the team's
 * policy clauses relevant to the input, docs/policies.md). Shared by the server
 * (validation at save, rendering at run time) and the extension (errors while editing YAML).
 */

export const PROJECT_FIELDS = ['name', 'description', 'github', 'scanPath'] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

export type TemplateReference =
  | { kind: 'input'; raw: string }
  | { kind: 'memory'; raw: string }
  | { kind: 'files'; raw: string }
  | { kind: 'policies'; raw: string }
  | { kind: 'project'; field: ProjectField; raw: string }
  | { kind: 'step'; step: string; raw: string }
  | { kind: 'unknown'; raw: string };

/** `{{ ... }}` with optional spaces inside; the expression is a dotted path. */
export const TEMPLATE_TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const STEP_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export function parseReference(expression: string): TemplateReference {
  const raw = `{{${expression}}}`;
  if (expression === 'input') return { kind: 'input', raw };
  if (expression === 'memory') return { kind: 'memory', raw };
  if (expression === 'files') return { kind: 'files', raw };
  if (expression === 'policies') return { kind: 'policies', raw };
  const project = /^project\.([A-Za-z]+)$/.exec(expression);
  if (project && (PROJECT_FIELDS as readonly string[]).includes(project[1]!)) return { kind: 'project', field: project[1] as ProjectField, raw };
  const step = /^steps\.([A-Za-z][A-Za-z0-9_-]*)\.output$/.exec(expression);
  if (step) return { kind: 'step', step: step[1]!, raw };
  return { kind: 'unknown', raw };
}

export function templateReferences(template: string): TemplateReference[] {
  return [...template.matchAll(TEMPLATE_TAG)].map((match) => parseReference(match[1]!));
}

export interface StepProblem {
  /** Index of the step in `steps`. */
  index: number;
  field: 'name' | 'prompt';
  message: string;
}

/**
 * Every problem of an ordered list of steps: duplicate names, unknown references, and references
 * to a step that is not earlier (itself or a later one). Each message names the step.
 */
export function checkWorkflowSteps(steps: readonly { name: string; prompt: string }[]): StepProblem[] {
  const problems: StepProblem[] = [];
  const firstIndex = new Map<string, number>();
  steps.forEach((step, index) => {
    const previous = firstIndex.get(step.name);
    if (previous !== undefined) {
      problems.push({ index, field: 'name', message: `step ${index + 1} "${step.name}": duplicate step name (step ${previous + 1} is already called "${step.name}")` });
    } else firstIndex.set(step.name, index);
  });
  steps.forEach((step, index) => {
    for (const reference of templateReferences(step.prompt)) {
      if (reference.kind === 'unknown') {
        problems.push({
          index,
          field: 'prompt',
          message: `step ${index + 1} "${step.name}": unknown reference ${reference.raw} (use {{input}}, {{steps.<name>.output}}, {{project.${PROJECT_FIELDS.join('|')}}}, {{memory}}, {{files}} or {{policies}})`,
        });
      } else if (reference.kind === 'step') {
        const target = firstIndex.get(reference.step);
        if (target === undefined) {
          problems.push({ index, field: 'prompt', message: `step ${index + 1} "${step.name}": ${reference.raw} names no step of this workflow` });
        } else if (target >= index) {
          const what = target === index ? 'itself' : `step ${target + 1}, which runs later`;
          problems.push({ index, field: 'prompt', message: `step ${index + 1} "${step.name}": ${reference.raw} is a forward reference (it refers to ${what}); a step can only use earlier steps' output` });
        }
      }
    }
  });
  return problems;
}

/** One step: who (a persona id, or a built-in persona's key such as `security-auditor`) does what. */
export const WorkflowStep = z.strictObject({
  name: z.string().regex(STEP_NAME, 'a letter, then letters, digits, "-" or "_" (at most 63)'),
  persona: z.string().min(1).max(100).describe('A persona id (uuid) or a built-in persona key, e.g. "security-auditor"'),
  model: z.string().min(1).max(200).optional().describe('A model id; default: the persona\'s default model'),
  prompt: z.string().min(1).max(20_000).describe('Template: {{input}}, {{steps.<name>.output}}, {{project.name}}, {{memory}}, {{files}}, {{policies}}'),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

const WorkflowSteps = z.array(WorkflowStep).min(1, 'a workflow needs at least one step').max(20);

/** Adds each step problem as a zod issue at `steps.<i>.<field>`, so a 400 names the step. */
function refineSteps(value: { steps: { name: string; prompt: string }[] }, context: z.RefinementCtx): void {
  for (const problem of checkWorkflowSteps(value.steps)) {
    context.addIssue({ code: 'custom', path: ['steps', problem.index, problem.field], message: problem.message });
  }
}

const WorkflowName = z.string().trim().min(1).max(100);

/** Body of POST /api/v1/workflows and PUT /api/v1/workflows/:id (each PUT saves a new version). */
export const WorkflowDefinition = z
  .strictObject({ name: WorkflowName, description: z.string().max(4_000).default(''), steps: WorkflowSteps })
  .superRefine(refineSteps);
export type WorkflowDefinition = z.output<typeof WorkflowDefinition>;
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;

/** One `.nyx/workflows/*.yaml` document, as parsed YAML. Its name defaults to the file name. */
export const WorkspaceWorkflowDocumentShape = z.strictObject({
  name: WorkflowName.optional().describe('Defaults to the file name without .yaml'),
  description: z.string().max(4_000).optional(),
  steps: WorkflowSteps,
});
export const WorkspaceWorkflowDocument = WorkspaceWorkflowDocumentShape.superRefine(refineSteps);

/** PUT /api/v1/workflows/sync: the workspace's workflows by name (file name without `.yaml`). */
export const WorkflowSync = z.strictObject({
  workflows: z.record(z.string().min(1).max(100), WorkspaceWorkflowDocument).refine((all) => Object.keys(all).length <= 100, 'at most 100 workflows per sync'),
});
export type WorkflowSync = z.input<typeof WorkflowSync>;
export const WorkflowSyncResult = z.object({
  items: z.array(z.object({ name: z.string(), id: z.uuid(), version: z.number().int(), status: z.enum(['created', 'updated', 'unchanged']) })),
});

export const Workflow = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  /** The current version; every save adds one, runs pin the version they started with. */
  version: z.number().int(),
  steps: z.array(WorkflowStep),
  builtIn: z.boolean(),
  builtInKey: z.string().nullable(),
  /** Where the current version came from: the API, a workspace YAML sync, or the built-in library. */
  source: z.enum(['api', 'workspace', 'builtin']),
  createdBy: z.uuid().nullable(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workflow = z.infer<typeof Workflow>;
export const WorkflowList = z.object({ items: z.array(Workflow) });
export const WorkflowVersion = z.object({
  workflowId: z.uuid(),
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  steps: z.array(WorkflowStep),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type WorkflowVersion = z.infer<typeof WorkflowVersion>;
export const WorkflowVersionList = z.object({ items: z.array(WorkflowVersion.omit({ steps: true })) });
export const WorkflowIdParams = z.object({ id: z.uuid() });
export const WorkflowVersionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });
export const WorkflowRunParams = z.object({ runId: z.uuid() });

export const WorkflowRunStart = z.strictObject({
  projectId: z.uuid(),
  input: z.string().max(50_000).default(''),
  files: z.array(ContextFile).max(20).default([]),
  /** Pin another version than the current one. */
  version: z.number().int().min(1).optional(),
});
export type WorkflowRunStart = z.input<typeof WorkflowRunStart>;

/** The run input of kind `workflow`. `retryOf` + `startAtStep`: reuse that run's outputs before the step. */
export const WorkflowRunInput = z.strictObject({
  workflowId: z.uuid(),
  version: z.number().int().min(1),
  input: z.string().max(50_000).default(''),
  files: z.array(ContextFile).max(20).default([]),
  retryOf: z.uuid().optional(),
  startAtStep: z.number().int().min(0).optional(),
});
export type WorkflowRunInput = z.infer<typeof WorkflowRunInput>;

export const WORKFLOW_EVENT = {
  /** data: { index, name, personaId, personaName, model } */
  stepStarted: 'workflow.step.started',
  /** data: WorkflowStepContext: what was injected automatically, and the prompt as sent. */
  stepContext: 'workflow.step.context',
  /** data: { index, name, text }: the next piece of the step's output (batched ~50 ms). */
  stepDelta: 'workflow.step.delta',
  /** data: { index, name, output, provider, model } */
  stepCompleted: 'workflow.step.completed',
  /** data: { index, name, fromRunId }: a retry reused this step's output. */
  stepReused: 'workflow.step.reused',
  /** data: { index, name, error } */
  stepFailed: 'workflow.step.failed',
  /** data: { count, embedderId, source: 'model' | 'fallback' } */
  insights: 'workflow.insights',
} as const;

export const InjectedContext = z.object({
  kind: z.enum(['project', 'input', 'step-output', 'policies']),
  /** For step-output: the earlier step's name. */
  step: z.string().optional(),
  chars: z.number().int(),
});
export const WorkflowStepContext = z.object({
  index: z.number().int(),
  name: z.string(),
  /** Empty when the template referenced what it needed itself. */
  injected: z.array(InjectedContext),
  prompt: z.string(),
});
export type WorkflowStepContext = z.infer<typeof WorkflowStepContext>;

export const WorkflowRunStep = z.object({
  index: z.number().int(),
  name: z.string(),
  persona: z.string(),
  status: z.enum(['pending', 'completed', 'reused', 'failed']),
  output: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  injected: z.array(InjectedContext),
});
export const WorkflowRunDetail = z.object({
  run: Run,
  workflowId: z.uuid(),
  workflowName: z.string(),
  version: z.number().int(),
  steps: z.array(WorkflowRunStep),
});
export type WorkflowRunDetail = z.infer<typeof WorkflowRunDetail>;

export const WorkflowInsight = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  workflowId: z.uuid(),
  runId: z.uuid(),
  title: z.string(),
  content: z.string(),
  embedder: z.string(),
  /** Cosine distance to the query (search only). */
  distance: z.number().nullable(),
  createdAt: z.string(),
});
export type WorkflowInsight = z.infer<typeof WorkflowInsight>;
export const WorkflowInsightQuery = z.strictObject({ q: z.string().min(1).max(2_000), k: z.coerce.number().int().min(1).max(50).default(5) });
export const WorkflowInsightList = z.object({
  items: z.array(WorkflowInsight),
  /** `text-only` (reason `provider_unavailable`) when the query could not be embedded: items ranked by full text, `distance` null. */
  ranking: SearchRanking,
});

export const workflowRoutes = {
  list: route({ method: 'get', path: '/api/v1/workflows', summary: 'List workflows (built-in templates are seeded on first use)', auth: true, response: WorkflowList }),
  schema: route({ method: 'get', path: '/api/v1/workflows/schema.json', produces: ['application/json'], summary: 'JSON Schema of a .nyx/workflows/*.yaml document', auth: false }),
  sync: route({ method: 'put', path: '/api/v1/workflows/sync', errors: [409], summary: 'Sync the workspace\'s .nyx/workflows/*.yaml documents (name -> definition)', auth: true, body: WorkflowSync, response: WorkflowSyncResult }),
  create: route({ method: 'post', path: '/api/v1/workflows', errors: [409], summary: 'Create a workflow (version 1)', auth: true, body: WorkflowDefinition, response: Workflow, status: 201 }),
  get: route({ method: 'get', path: '/api/v1/workflows/:id', params: WorkflowIdParams, summary: 'Get a workflow at its current version', auth: true, response: Workflow }),
  update: route({ method: 'put', path: '/api/v1/workflows/:id', params: WorkflowIdParams, errors: [409], summary: 'Save a new version of a workflow (built-ins: 409)', auth: true, body: WorkflowDefinition, response: Workflow }),
  remove: route({ method: 'delete', path: '/api/v1/workflows/:id', params: WorkflowIdParams, errors: [409], summary: 'Delete a workflow and its versions (built-ins: 409)', auth: true, status: 204 }),
  versions: route({ method: 'get', path: '/api/v1/workflows/:id/versions', params: WorkflowIdParams, summary: 'A workflow\'s versions, newest first', auth: true, response: WorkflowVersionList }),
  version: route({ method: 'get', path: '/api/v1/workflows/:id/versions/:version', params: WorkflowVersionParams, summary: 'One version of a workflow', auth: true, response: WorkflowVersion }),
  startRun: route({ method: 'post', path: '/api/v1/workflows/:id/runs', params: WorkflowIdParams, alsoStatus: [200], errors: [409], summary: 'Run a workflow (pins its current version unless one is given)', auth: true, body: WorkflowRunStart, response: RunCreated, status: 201 }),
  getRun: route({ method: 'get', path: '/api/v1/workflow-runs/:runId', params: WorkflowRunParams, summary: 'A workflow run with each step\'s status and output', auth: true, response: WorkflowRunDetail }),
  retry: route({ method: 'post', path: '/api/v1/workflow-runs/:runId/retry', params: WorkflowRunParams, alsoStatus: [200], errors: [409], summary: 'Start a new run from the failed step, reusing the earlier steps\' outputs', auth: true, response: RunCreated, status: 201 }),
  insights: route({ method: 'get', path: '/api/v1/projects/:id/workflow-insights', params: ProjectIdParams, errors: [402, 409, 502, 503], summary: 'Search the project\'s workflow insights by meaning', auth: true, query: WorkflowInsightQuery, response: WorkflowInsightList }),
};

/** Tenant stream event (GET /api/v1/events) after a workflow was created, given a new version, or deleted. */
export const WORKFLOW_CHANGED_EVENT = 'workflow.changed';
export const WorkflowChangedData = z.object({ workflowId: z.uuid(), change: z.enum(['created', 'updated', 'deleted']) });
