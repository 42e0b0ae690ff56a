import * as vscode from 'vscode';
import { RESTRICTED_MODE, whenTrusted } from '../trust.ts';
import type { AutofixRunInput, RefactorRange, RefactorRunInput } from '#protocol/autofix.ts';
import type { RunDoneData } from '#protocol/events.ts';
import { isFinalRunStatus } from '#protocol/runs.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { errorMessage, ServerProblemError } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import { documentBlob, ensureBlobsUploaded } from './document-blob.ts';
import { PendingRuns } from './pending-runs.ts';
import type { PendingRun } from './pending-runs.ts';
import { proposalFromState, ProposalReview } from './proposal-review.ts';
import type { Proposal } from './proposals.ts';
import { followWithProgress } from './run-progress.ts';
import type { FollowedRun } from './run-progress.ts';

/** What a run needs besides its files: the run kind's input without `files` and `nonce`. */
export type RunOptions = { kind: 'autofix'; input: Omit<AutofixRunInput, 'files' | 'snapshotId' | 'nonce'> } | { kind: 'refactor'; input: Omit<RefactorRunInput, 'files' | 'nonce'> };

export interface RunRequest {
  projectId: string;
  folder: vscode.Uri;
  title: string;
  /** The documents the run reads (and may change), with their folder-relative paths. */
  documents: Array<{ document: vscode.TextDocument; path: string }>;
  options: RunOptions;
}

export interface AutofixOutcome {
  runId: string;
  /** Undefined when the window stopped following before the end (a reload). */
  done: RunDoneData | undefined;
  /** The proposal offered in the diff, when the run succeeded with files left to apply. */
  proposal: Proposal | undefined;
  /** The rationale as it streamed. */
  rationale: string;
}

export interface StartedRun {
  run: RunCreated;
  outcome: Promise<AutofixOutcome>;
}

/**
 * Starts auto-fix and refactor runs on what the editor has (unsaved text included, uploaded as
 * blobs), follows them with a progress notification, and offers the proposal as a diff when they
 * succeed. Runs are remembered in workspaceState until offered: `resume()` picks them up again.
 */
export class AutofixRuns extends Disposable {
  readonly review: ProposalReview;
  private readonly pending: PendingRuns;
  private readonly followed = new Map<string, FollowedRun>();
  private readonly connection: Connection;
  private readonly runs: RunsStore;
  private readonly log: vscode.LogOutputChannel;

  constructor(deps: { connection: Connection; runs: RunsStore; workspaceState: vscode.Memento; folderOf: (projectId: string) => vscode.Uri | undefined; log: vscode.LogOutputChannel }) {
    super();
    this.connection = deps.connection;
    this.runs = deps.runs;
    this.log = deps.log;
    this.pending = new PendingRuns(deps.workspaceState);
    this.review = this.register(new ProposalReview({ connection: deps.connection, rerun: (proposal) => this.rerun(proposal), folderOf: deps.folderOf, log: deps.log }));
  }

  /** Starts the run and follows it to the offered proposal. */
  async start(request: RunRequest): Promise<AutofixOutcome> {
    return (await this.begin(request)).outcome;
  }

  /** Starts the run; `outcome` settles when it ended and its proposal was offered. */
  async begin(request: RunRequest): Promise<StartedRun> {
    if (!(await whenTrusted(`start "${request.title}" (it uploads the files)`))) throw new Error(RESTRICTED_MODE);
    const client = this.connection.requireClient();
    const blobs = request.documents.map(({ document, path }) => documentBlob(document, path));
    const uploaded = await ensureBlobsUploaded(client, request.projectId, blobs);
    const files = blobs.map((blob) => ({ path: blob.path, blobHash: blob.sha256 }));
    // A new nonce: the user asked again, so generate again instead of returning a recent equal run.
    const nonce = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const run =
      request.options.kind === 'autofix'
        ? await client.startAutofix(request.projectId, { ...request.options.input, files, nonce })
        : await client.startRefactor(request.projectId, { ...request.options.input, files, nonce });
    this.runs.apply(run);
    this.log.info(`Started ${request.options.kind} run ${run.id} on ${files.map((file) => file.path).join(', ')} (${uploaded} blob(s) uploaded)`);
    const pending: PendingRun = { runId: run.id, kind: request.options.kind, projectId: request.projectId, folderUri: request.folder.toString(), title: request.title };
    this.pending.add(pending);
    return { run, outcome: this.follow(pending) };
  }

  /** Runs of this window not offered yet (after a reload): follow the active ones, offer the finished ones. */
  async resume(): Promise<void> {
    const client = this.connection.requireClient();
    for (const pending of this.pending.all()) {
      if (this.followed.has(pending.runId)) continue;
      try {
        const run = await client.getRun(pending.runId);
        if (this.isDisposed) return;
        this.runs.apply(run);
        this.log.info(`Picking up ${pending.kind} run ${run.id} (${run.status}) after a reload`);
        if (isFinalRunStatus(run.status)) await this.finish(pending, { status: run.status as RunDoneData['status'], result: run.result, error: run.error }, '');
        else void this.follow(pending);
      } catch (error) {
        if (ServerProblemError.is(error) && error.status === 404) this.pending.remove(pending.runId);
        else this.log.warn(`Could not pick up run ${pending.runId}: ${errorMessage(error)}`);
      }
    }
  }

  /** What a window reload does: stop following (runs stay remembered), then resume. */
  async reload(): Promise<void> {
    for (const followed of this.followed.values()) followed.stop();
    this.followed.clear();
    await this.resume();
  }

  /** Waits for a run followed right now (tests, and callers that did not start it). */
  followedRun(runId: string): FollowedRun | undefined {
    return this.followed.get(runId);
  }

  /** The same change asked again on the documents as they are now (after "the file changed"). */
  async rerun(proposal: Proposal): Promise<AutofixOutcome> {
    const input = proposal.input;
    const common = { personaId: optionalString(input.personaId), model: optionalString(input.model) };
    const options: RunOptions =
      proposal.kind === 'autofix'
        ? { kind: 'autofix', input: { ...common, findingIds: input.findingIds as string[] } }
        : { kind: 'refactor', input: { ...common, instruction: String(input.instruction), range: input.range as RefactorRange | undefined } };
    const folder = vscode.Uri.parse(proposal.folderUri);
    const documents = await Promise.all(
      proposal.result.files.map(async (patch) => ({ path: patch.path, document: await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, patch.path)) })),
    );
    return this.start({ projectId: proposal.projectId, folder, title: proposal.title, documents, options });
  }

  private async follow(pending: PendingRun): Promise<AutofixOutcome> {
    const followed = followWithProgress(this.connection.requireClient(), pending.runId, pending.title, this.runs, this.log);
    this.followed.set(pending.runId, followed);
    const done = await followed.done;
    if (this.followed.get(pending.runId) === followed) this.followed.delete(pending.runId);
    if (!done) return { runId: pending.runId, done, proposal: undefined, rationale: followed.text.rationale };
    return this.finish(pending, done, followed.text.rationale);
  }

  private async finish(pending: PendingRun, done: RunDoneData, rationale: string): Promise<AutofixOutcome> {
    const outcome: AutofixOutcome = { runId: pending.runId, done, proposal: undefined, rationale };
    this.pending.remove(pending.runId);
    if (done.status === 'failed') {
      void vscode.window.showErrorMessage(`Nyx: ${pending.title} failed: ${done.error ?? 'no reason given'}`);
      return outcome;
    }
    if (done.status === 'cancelled') {
      void vscode.window.showWarningMessage(`Nyx: ${pending.title} was cancelled.`);
      return outcome;
    }
    // The server's state, not the event: it also says which files were applied already (a reload
    // after Apply, another window, a teammate), and those are never offered again.
    const proposal = proposalFromState(pending, await this.connection.requireClient().getAutofix(pending.runId));
    if (!proposal || proposal.patches.length === 0) {
      void vscode.window.showInformationMessage(`Nyx: ${pending.title}: the proposal was applied already.`);
      return outcome;
    }
    outcome.proposal = proposal;
    await this.review.offer(proposal);
    return outcome;
  }

  override dispose(): void {
    for (const followed of this.followed.values()) followed.stop();
    this.followed.clear();
    super.dispose();
  }
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
