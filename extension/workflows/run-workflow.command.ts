import * as vscode from 'vscode';
import type { Run } from '#protocol/runs.ts';
import { workflowRoutes } from '#protocol/workflows.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { editorContext } from '../discussions/discussion-context.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { requireProvider } from '../providers/require-provider.ts';

export interface RunWorkflowArgs {
  workflowId?: string;
  input?: string;
  /** Default true: the active editor's file goes along as `{{files}}`. */
  includeEditor?: boolean;
}

export interface RunWorkflowDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  views: { show(runId: string): unknown };
  log: vscode.LogOutputChannel;
}

/**
 * "Nyx: Run Workflow...": a workflow (built-in, the team's, or synced from the workspace), the
 * input, and the active file as `{{files}}`; the server adds the project context by itself.
 * Opens the workflow run view.
 */
export function registerRunWorkflowCommand(deps: RunWorkflowDeps): vscode.Disposable {
  return registerCommand('nyx.runWorkflow', deps.log, async (args: RunWorkflowArgs = {}): Promise<Run | undefined> => {
    const client = deps.connection.requireClient();
    await requireProvider(client, 'A workflow');
    if (!deps.selection.current()) await vscode.commands.executeCommand('nyx.selectProject');
    const project = deps.selection.current();
    if (!project) return undefined;

    let workflowId = args.workflowId;
    if (!workflowId) {
      const { items } = await client.call(workflowRoutes.list);
      const picked = await vscode.window.showQuickPick(
        items.map((workflow) => ({
          label: `${workflow.builtIn ? '$(library)' : workflow.source === 'workspace' ? '$(file-code)' : '$(symbol-event)'} ${workflow.name}`,
          description: `${workflow.steps.length} step${workflow.steps.length === 1 ? '' : 's'} · v${workflow.version}${workflow.builtIn ? ' · built-in' : workflow.source === 'workspace' ? ' · workspace' : ''}`,
          detail: workflow.description || workflow.steps.map((step) => step.name).join(' → '),
          workflow,
        })),
        { title: 'Nyx: Run Workflow (1/2)', placeHolder: 'The workflow to run', matchOnDetail: true },
      );
      workflowId = picked?.workflow.id;
    }
    if (!workflowId) return undefined;
    const input =
      args.input ??
      (await vscode.window.showInputBox({ title: 'Nyx: Run Workflow (2/2): input', prompt: 'What the workflow works on ({{input}}); the project context is added automatically', ignoreFocusOut: true }));
    if (input === undefined) return undefined;
    const files = args.includeEditor === false ? [] : editorContext().files;
    const run = await client.call(workflowRoutes.startRun, { params: { id: workflowId }, body: { projectId: project.id, input, files } });
    deps.runs.apply(run);
    deps.log.info(`Started workflow run ${run.id} in "${project.name}"`);
    deps.views.show(run.id);
    return run;
  });
}
