import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Discussion } from '#protocol/discussions.ts';
import { ListPersonasInput, ListWorkflowsInput, RunRef, StartDiscussionInput, StartWorkflowInput } from '#protocol/mcp.ts';
import type { WorkflowRunDetail } from '#protocol/workflows.ts';
import { getDiscussion, startDiscussion } from '#server/modules/discussions/service.ts';
import { listPersonas } from '#server/modules/personas/service.ts';
import { getWorkflowRun, startWorkflowRun } from '#server/modules/workflows/run-service.ts';
import { listWorkflows } from '#server/modules/workflows/service.ts';
import { progressReporter } from '#server/modules/mcp/progress.ts';
import { waitForRun } from '#server/modules/mcp/run-wait.ts';
import { defineTool, jsonResult, textResult, type ToolScope } from '#server/modules/mcp/tool-kit.ts';

export function registerTeamTools(server: McpServer, scope: ToolScope): void {
  const { services, auth } = scope;

  defineTool(server, scope, 'list_personas', {
    title: 'List personas',
    description:
      "Lists the team's AI personas (built-in experts such as a security auditor or a performance engineer, and the team's own): id, name, role, specializations. " +
      'Use it to pick 2 to 6 personaIds for start_discussion.',
    input: ListPersonasInput,
    readOnly: true,
  }, async (query) => jsonResult({ items: await listPersonas(services, auth, query) }));

  defineTool(server, scope, 'start_discussion', {
    title: 'Start a discussion',
    description:
      'Starts a discussion in which 2 to 6 personas debate a question (topic) over 1 to 5 rounds, with optional context files, then a synthesis: best approach, consensus, dissent, next steps. ' +
      'Use it for a design or security question that deserves several viewpoints. Needs an AI provider configured for the team. ' +
      'Waits up to waitSeconds with progress notifications and returns { runId, status, synthesis, turns }; if it is still running, call get_discussion with the runId later.',
    input: StartDiscussionInput,
  }, async ({ waitSeconds, ...body }, extra) => {
    const run = await startDiscussion(services, auth, body);
    const outcome = await waitForRun(services, auth, run.id, { waitMs: waitSeconds * 1000, signal: extra.signal, onEvent: progressReporter(extra) });
    return discussionResult(await getDiscussion(services, auth, run.id), outcome.finished);
  });

  defineTool(server, scope, 'get_discussion', {
    title: 'Get a discussion',
    description: 'Returns a discussion started earlier (start_discussion, or the editor): its status, every turn and, once finished, the synthesis.',
    input: RunRef,
    readOnly: true,
  }, async ({ runId }) => {
    const discussion = await getDiscussion(services, auth, runId);
    return discussionResult(discussion, discussion.status !== 'pending' && discussion.status !== 'running');
  });

  defineTool(server, scope, 'list_workflows', {
    title: 'List workflows',
    description: "Lists the team's workflows (multi-step persona pipelines, e.g. a security review): id, name, description, steps. Use an id with start_workflow.",
    input: ListWorkflowsInput,
    readOnly: true,
  }, async () => jsonResult({ items: await listWorkflows(services, auth) }));

  defineTool(server, scope, 'start_workflow', {
    title: 'Run a workflow',
    description:
      'Runs a workflow on a project with an input text and optional files; each step is a persona whose output feeds the next. Needs an AI provider configured for the team. ' +
      'Waits up to waitSeconds with progress notifications and returns { runId, status, steps: [{ name, status, output }], result: the last step\'s output }; if it is still running, call get_workflow_run later.',
    input: StartWorkflowInput,
  }, async ({ workflowId, waitSeconds, ...body }, extra) => {
    const run = await startWorkflowRun(services, auth, workflowId, body);
    await waitForRun(services, auth, run.id, { waitMs: waitSeconds * 1000, signal: extra.signal, onEvent: progressReporter(extra) });
    return workflowResult(await getWorkflowRun(services, auth, run.id));
  });

  defineTool(server, scope, 'get_workflow_run', {
    title: 'Get a workflow run',
    description: "Returns a workflow run's status and every step's output; `result` is the last step's output once the run succeeded.",
    input: RunRef,
    readOnly: true,
  }, async ({ runId }) => workflowResult(await getWorkflowRun(services, auth, runId)));
}

function discussionResult(discussion: Discussion, finished: boolean) {
  const { synthesis } = discussion;
  const lines = [`Discussion ${discussion.runId}: ${discussion.status}`];
  if (!finished) lines.push('Still running: call get_discussion with this runId later.');
  if (discussion.error) lines.push(`Error: ${discussion.error}`);
  if (synthesis) {
    lines.push('', '## Best approach', '', synthesis.bestApproach);
    if (synthesis.consensusPoints.length) lines.push('', '## Consensus', '', ...synthesis.consensusPoints.map((point) => `- ${point}`));
    if (synthesis.dissentPoints.length) lines.push('', '## Dissent', '', ...synthesis.dissentPoints.map((d) => `- ${d.point} (${d.personas.join(', ')})`));
    if (synthesis.nextSteps.length) lines.push('', '## Next steps', '', ...synthesis.nextSteps.map((step) => `- ${step}`));
  }
  return textResult(lines.join('\n'), { runId: discussion.runId, status: discussion.status, finished, error: discussion.error, synthesis, turns: discussion.turns });
}

function workflowResult(detail: WorkflowRunDetail) {
  const { run } = detail;
  const last = detail.steps.at(-1);
  const result = run.status === 'succeeded' ? (last?.output ?? null) : null;
  const steps = detail.steps.map(({ index, name, status, output }) => ({ index, name, status, output }));
  return jsonResult({ runId: run.id, workflowId: detail.workflowId, workflowName: detail.workflowName, status: run.status, error: run.error, result, steps }, `Workflow "${detail.workflowName}" run ${run.id}: ${run.status}`);
}
