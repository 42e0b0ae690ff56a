import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { ApplyOutcome } from './apply-proposal.ts';
import type { ProposalReview } from './proposal-review.ts';
import { runIdOfProposedUri } from './proposals.ts';

/** A run id from a command argument: the id, a `nyx-proposed:` URI (the diff's title bar), else the active diff. */
function runIdFrom(review: ProposalReview, argument: unknown): string {
  if (typeof argument === 'string') return argument;
  const fromUri = argument instanceof vscode.Uri ? runIdOfProposedUri(argument) : undefined;
  const runId = fromUri ?? review.activeRunId() ?? (review.proposals.all().length === 1 ? review.proposals.all()[0]!.runId : undefined);
  if (!runId) throw new Error('Nyx: open the diff of the proposed change to apply or discard it.');
  return runId;
}

/** "Nyx: Apply Proposed Change" and "Nyx: Discard Proposed Change" (title bar of the diff, palette). */
export function registerReviewProposalCommands(review: ProposalReview, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    registerCommand('nyx.applyProposedChange', log, (argument?: unknown): Promise<ApplyOutcome> => review.apply(runIdFrom(review, argument))),
    registerCommand('nyx.discardProposedChange', log, (argument?: unknown): Promise<boolean> => review.discard(runIdFrom(review, argument))),
  ];
}
