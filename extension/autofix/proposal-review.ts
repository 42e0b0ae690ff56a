import * as vscode from 'vscode';
import { RESTRICTED_MODE, whenTrusted } from '../trust.ts';
import type { AutofixState } from '#protocol/autofix.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { applyProposal } from './apply-proposal.ts';
import type { ApplyOutcome } from './apply-proposal.ts';
import type { PendingRun } from './pending-runs.ts';
import { documentUri, PROPOSED_SCHEME, proposedUri, ProposalStore, runIdOfProposedUri } from './proposals.ts';
import type { Proposal } from './proposals.ts';

/** Context key: a proposal of this window is waiting for Apply or Discard. */
const PROPOSAL_OPEN_CONTEXT = 'nyx.autofix.proposalOpen';
export const APPLY = 'Apply';
export const DISCARD = 'Discard';
export const RERUN = 'Re-run on current text';

/** A proposal from a run's state: the files nobody applied yet. Undefined when the run has no result. */
export function proposalFromState(pending: PendingRun, state: AutofixState): Proposal | undefined {
  if (!state.result) return undefined;
  const applied = new Set(state.applications.map((application) => application.path));
  return { ...pending, result: state.result, input: state.run.input, patches: state.result.files.filter((patch) => !applied.has(patch.path)) };
}

/**
 * The review of a proposal: `vscode.diff` of each current document against its proposed
 * content, Apply / Discard in a notification and in the diff's title bar, the stale check on
 * Apply with "Re-run on current text", and closing the diff afterwards.
 */
export class ProposalReview extends Disposable {
  readonly proposals = this.register(new ProposalStore());
  private readonly applying = new Map<string, Promise<ApplyOutcome>>();
  private readonly connection: Connection;
  private readonly rerun: (proposal: Proposal) => Promise<unknown>;
  private readonly folderOf: (projectId: string) => vscode.Uri | undefined;
  private readonly log: vscode.LogOutputChannel;

  constructor(deps: { connection: Connection; rerun: (proposal: Proposal) => Promise<unknown>; folderOf: (projectId: string) => vscode.Uri | undefined; log: vscode.LogOutputChannel }) {
    super();
    this.connection = deps.connection;
    this.rerun = deps.rerun;
    this.folderOf = deps.folderOf;
    this.log = deps.log;
    this.register(this.proposals.onDidChangeProposals(() => void vscode.commands.executeCommand('setContext', PROPOSAL_OPEN_CONTEXT, this.proposals.all().length > 0)));
  }

  /** Opens the diff of every file of the proposal and asks what to do with it (not awaited). */
  async offer(proposal: Proposal): Promise<void> {
    this.proposals.add(proposal);
    for (const patch of proposal.patches) {
      const name = patch.path.split('/').pop();
      await vscode.commands.executeCommand('vscode.diff', documentUri(proposal, patch.path), proposedUri(proposal.runId, patch.path), `${name} ↔ Nyx proposal`, { preview: false });
    }
    const files = proposal.patches.map((patch) => patch.path).join(', ');
    const summary = firstSentence(proposal.result.rationale);
    void vscode.window.showInformationMessage(`Nyx: ${proposal.title} proposes a change to ${files}.${summary ? ` ${summary}` : ''}`, APPLY, DISCARD).then((picked) => {
      if (picked === APPLY) void this.apply(proposal.runId).catch((error: unknown) => void vscode.window.showErrorMessage(`Nyx: could not apply: ${String(error)}`));
      if (picked === DISCARD) void this.discard(proposal.runId);
    });
  }

  /** The run of the proposal shown in the active editor (the diff's right side), if any. */
  activeRunId(): string | undefined {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const input = tab?.input;
    if (input instanceof vscode.TabInputTextDiff) return runIdOfProposedUri(input.modified);
    const uri = vscode.window.activeTextEditor?.document.uri;
    return uri ? runIdOfProposedUri(uri) : undefined;
  }

  /** Applies a run's proposal once; concurrent calls for the same run share one attempt. */
  apply(runId: string): Promise<ApplyOutcome> {
    let attempt = this.applying.get(runId);
    if (!attempt) {
      attempt = this.applyOnce(runId).finally(() => this.applying.delete(runId));
      this.applying.set(runId, attempt);
    }
    return attempt;
  }

  async discard(runId: string): Promise<boolean> {
    await this.closeDiffs(runId);
    const removed = this.proposals.remove(runId);
    if (removed) this.log.info(`Discarded the proposal of run ${runId}`);
    return removed !== undefined;
  }

  private async applyOnce(runId: string): Promise<ApplyOutcome> {
    if (!(await whenTrusted('change workspace files'))) throw new Error(RESTRICTED_MODE);
    const client = this.connection.requireClient();
    const proposal = this.proposals.get(runId) ?? (await this.loadProposal(runId));
    const outcome = await applyProposal(client, proposal);
    if (outcome.status === 'stale') {
      const message = `Nyx: ${outcome.paths.join(', ')} changed since the run read it, so the proposal was not applied (it would land on other text).`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(message, RERUN, DISCARD).then(async (picked) => {
        if (picked === RERUN) {
          await this.discard(runId);
          await this.rerun(proposal);
        }
        if (picked === DISCARD) await this.discard(runId);
      });
      return outcome;
    }
    // From here the change is saved and reported: closing the diff and showing the file are UI
    // niceties, and their failure must not turn the outcome into an error (see reveal()).
    await this.discard(runId).catch((error: unknown) => this.log.warn(`Applied run ${runId}, but could not close its diff: ${error instanceof Error ? error.message : String(error)}`));
    if (outcome.status === 'already-applied') {
      void vscode.window.showInformationMessage(`Nyx: ${outcome.paths.join(', ')} had been applied already; nothing applied twice.`);
    } else {
      this.log.info(`Applied run ${runId} to ${outcome.paths.join(', ')}: ${outcome.report.message}`);
      await this.reveal(documentUri(proposal, outcome.paths[0]!));
      void vscode.window.showInformationMessage(`Nyx: applied to ${outcome.paths.join(', ')} (undo: one step). Nyx re-checks the file${outcome.paths.length > 1 ? 's' : ''}.`);
    }
    return outcome;
  }

  /**
   * Shows the applied file again (closing the diff left another tab active). Best effort: the edit
   * is saved and reported by now, so the outcome is `applied` whatever happens here. VS Code may
   * reject showTextDocument when the workbench's editors change while it opens ("another editor
   * opened in the meantime"); closing the diff just above changes them. A rejection here used to
   * turn a saved and reported apply into `undefined` for every caller sharing the attempt.
   */
  private async reveal(uri: vscode.Uri): Promise<void> {
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    } catch (error) {
      this.log.warn(`Applied, but could not show ${vscode.workspace.asRelativePath(uri)} again: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A run not offered in this window (another window's, or offered and applied before): from the server. */
  private async loadProposal(runId: string): Promise<Proposal> {
    const state = await this.connection.requireClient().getAutofix(runId);
    const folder = this.folderOf(state.run.projectId);
    if (!folder) throw new Error('Nyx: open the folder the run was made for and select its project.');
    const pending: PendingRun = { runId, kind: state.result?.kind ?? 'autofix', projectId: state.run.projectId, folderUri: folder.toString(), title: `run ${runId}` };
    const proposal = proposalFromState(pending, state);
    if (!proposal) throw new Error(`Nyx: run ${runId} has no proposal (it is ${state.run.status}).`);
    return { ...proposal, patches: state.result!.files };
  }

  private async closeDiffs(runId: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((group) =>
      group.tabs.filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSED_SCHEME && runIdOfProposedUri(tab.input.modified) === runId),
    );
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  override dispose(): void {
    void vscode.commands.executeCommand('setContext', PROPOSAL_OPEN_CONTEXT, false);
    super.dispose();
  }
}

function firstSentence(markdown: string): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  const end = text.search(/[.!?](\s|$)/);
  const sentence = end >= 0 ? text.slice(0, end + 1) : text;
  return sentence.length > 160 ? `${sentence.slice(0, 157)}…` : sentence;
}
