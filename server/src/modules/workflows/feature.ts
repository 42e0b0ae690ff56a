// The workflows feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { workflowRoutes } from '#protocol/workflows.ts';
import { WORKFLOW_CHANGED_EVENT, WORKFLOW_EVENT } from '#protocol/workflows.ts';
import { workflowsRouter } from './routes.ts';
import { WorkflowRow, WorkflowVersionRow } from './workflow.entity.ts';
import { WorkflowStepOutputRow } from './step-output.entity.ts';
import { WorkflowInsightRow } from './insight.entity.ts';
import { workflowRunKind } from './workflow-run.ts';

/** Workflows: YAML-defined steps run by personas. */
export const workflowsFeature: Feature = {
  name: 'workflows',
  contracts: workflowRoutes,
  router: workflowsRouter,
  runKinds: [workflowRunKind],
  entities: [WorkflowRow, WorkflowVersionRow, WorkflowStepOutputRow, WorkflowInsightRow],
  eventKinds: [...Object.values(WORKFLOW_EVENT), WORKFLOW_CHANGED_EVENT],
};
