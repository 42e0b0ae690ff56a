import type * as vscode from 'vscode';
import type { FindingsStore } from '../analysis/findings-store.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { PickPersonas } from '../personas/persona-picker.ts';
import type { PersonasStore } from '../personas/personas-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { registerAutofixFileCommand } from './autofix-file.command.ts';
import { AutofixRuns } from './autofix-runs.ts';
import type { StartedRun } from './autofix-runs.ts';
import { registerRefactorSelectionCommand } from './refactor-selection.command.ts';
import { registerReviewProposalCommands } from './review-proposal.commands.ts';
import type { ChoiceSources } from './run-choices.ts';
import { autofixRequest } from './run-requests.ts';
import { provideAutofixStarter } from './start-autofix.ts';

export interface AutofixFeatureDeps {
  connection: Connection;
  runs: RunsStore;
  findings: FindingsStore;
  personas: PersonasStore;
  pickPersonas: PickPersonas;
  workspaceState: vscode.Memento;
  log: vscode.LogOutputChannel;
}

/** Auto-fix and refactor in the editor: the commands, the runs' progress, the diff review and the safe apply. */
export class AutofixFeature extends Disposable {
  readonly runs: AutofixRuns;
  private readonly findings: FindingsStore;

  constructor(deps: AutofixFeatureDeps) {
    super();
    const { connection, findings, log } = deps;
    this.findings = findings;
    const folderOf = (projectId: string) => findings.watched().find((entry) => entry.project.id === projectId)?.folder.uri;
    this.runs = this.register(new AutofixRuns({ connection, runs: deps.runs, workspaceState: deps.workspaceState, folderOf, log }));
    const choices = (): ChoiceSources => ({ client: connection.requireClient(), personas: () => deps.personas.list(), pickPersonas: deps.pickPersonas });
    this.register(registerAutofixFileCommand(findings, this.runs, choices, log));
    this.register(registerRefactorSelectionCommand(findings, this.runs, choices, log));
    for (const command of registerReviewProposalCommands(this.runs.review, log)) this.register(command);
    this.register(provideAutofixStarter((findingIds, personaId) => this.startAutofix(findingIds, personaId)));
    // Runs started before a window reload: followed again, and their proposal offered when they end.
    const resume = () => void this.runs.resume().catch((error: unknown) => log.warn(`Could not pick up auto-fix runs: ${errorMessage(error)}`));
    this.register(connection.onDidChange((state) => state.kind === 'connected' && resume()));
    if (connection.state.kind === 'connected') resume();
  }

  /** Auto-fixes findings (ids from the findings store) on their files as the editor has them. */
  async startAutofix(findingIds: readonly string[], personaId?: string): Promise<StartedRun> {
    return this.runs.begin(await autofixRequest(this.findings, findingIds, { personaId }));
  }
}
