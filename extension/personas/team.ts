// Wires the AI team's editor features (personas, discussions, workflows) into the extension:
// one call from activate(), everything it creates owned by the returned Disposable.
import * as vscode from 'vscode';
import type { Connection } from '../connection/connection.ts';
import { DiscussionPanel } from '../discussions/discussion-panel.ts';
import { registerStartDiscussionCommand } from '../discussions/start-discussion.command.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { registerRunWorkflowCommand } from '../workflows/run-workflow.command.ts';
import { registerSyncWorkflowsCommand, SyncWorkflowsOnSave } from '../workflows/sync-workflows.command.ts';
import { registerWorkflowCompletion } from '../workflows/workflow-completion.ts';
import { WorkflowDiagnostics } from '../workflows/workflow-diagnostics.ts';
import { WorkflowRunPanel } from '../workflows/workflow-run-panel.ts';
import { WebviewPanels } from '../webview/webview-panels.ts';
import { DISCUSSION_VIEW_TYPE, WORKFLOW_RUN_VIEW_TYPE } from '#protocol/webview.ts';
import type { DiscussionPersisted, WorkflowRunPersisted } from '#protocol/webview.ts';
import { registerManagePersonasCommand } from './manage-personas.command.ts';
import { PersonaPicker } from './persona-picker.ts';
import type { PickPersonas } from './persona-picker.ts';
import { PersonasStore } from './personas-store.ts';

export interface TeamDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** What other features (AI review, auto-fix, refactor) and the tests use. */
export class Team extends Disposable {
  readonly personas: PersonasStore;
  readonly picker: PersonaPicker;
  /** Opens the persona picker; resolves with the chosen personas, undefined when cancelled. */
  readonly pickPersonas: PickPersonas;
  readonly discussions: WebviewPanels<DiscussionPanel, DiscussionPersisted>;
  readonly workflowRuns: WebviewPanels<WorkflowRunPanel, WorkflowRunPersisted>;
  readonly workflowDiagnostics: WorkflowDiagnostics;

  constructor(deps: TeamDeps) {
    super();
    const { connection, selection, runs, log } = deps;
    this.personas = this.register(new PersonasStore(connection, log));
    this.picker = this.register(new PersonaPicker(this.personas, deps.extensionUri, log));
    this.pickPersonas = this.picker.pick;
    this.discussions = this.register(
      new WebviewPanels<DiscussionPanel, DiscussionPersisted>({
        viewType: DISCUSSION_VIEW_TYPE,
        title: 'Discussion',
        idOf: (persisted) => persisted.runId,
        create: (panel, runId, persisted) =>
          new DiscussionPanel(panel, runId, { connection, personas: this.personas, runs, trackedRuns: deps.trackedRuns, extensionUri: deps.extensionUri, log }, persisted?.state),
      }),
    );
    this.workflowRuns = this.register(
      new WebviewPanels<WorkflowRunPanel, WorkflowRunPersisted>({
        viewType: WORKFLOW_RUN_VIEW_TYPE,
        title: 'Workflow run',
        idOf: (persisted) => persisted.runId,
        create: (panel, runId, persisted) =>
          new WorkflowRunPanel(panel, runId, { connection, runs, extensionUri: deps.extensionUri, log, show: (id) => this.workflowRuns.show(id) }, persisted?.state),
      }),
    );
    this.workflowDiagnostics = this.register(new WorkflowDiagnostics());
    this.register(registerWorkflowCompletion(this.personas));
    this.register(new SyncWorkflowsOnSave(connection, log));
    this.register(registerManagePersonasCommand(connection, this.personas, this.pickPersonas, log));
    this.register(registerStartDiscussionCommand({ connection, selection, runs, panels: this.discussions, pick: this.pickPersonas, log }));
    this.register(registerRunWorkflowCommand({ connection, selection, runs, views: this.workflowRuns, log }));
    this.register(registerSyncWorkflowsCommand(connection, log));
  }
}
