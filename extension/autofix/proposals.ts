import * as vscode from 'vscode';
import type { AutofixResult, FilePatch } from '#protocol/autofix.ts';
import { Disposable } from '../lifecycle.ts';
import type { PendingRun } from './pending-runs.ts';

/** Scheme of the read-only documents holding proposed contents (the right side of the diff). */
export const PROPOSED_SCHEME = 'nyx-proposed';

/** A succeeded run's proposal as this window offers it. */
export interface Proposal extends PendingRun {
  result: AutofixResult;
  /** The run's input, to run it again on the current text. */
  input: Record<string, unknown>;
  /** Patches of files nobody applied yet. */
  patches: FilePatch[];
}

export function proposedUri(runId: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${path}`, query: `run=${runId}` });
}

/** The run a `nyx-proposed:` document belongs to. */
export function runIdOfProposedUri(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== PROPOSED_SCHEME) return undefined;
  return new URLSearchParams(uri.query).get('run') ?? undefined;
}

export function documentUri(proposal: PendingRun, path: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.parse(proposal.folderUri), path);
}

/**
 * The proposals offered in this window and the content provider of their `nyx-proposed:`
 * documents. A proposal leaves when it is applied or discarded; its documents then read as empty
 * (VS Code may still ask while closing the diff).
 */
export class ProposalStore extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly byRun = new Map<string, Proposal>();
  private readonly changedContent = this.register(new vscode.EventEmitter<vscode.Uri>());
  private readonly changedProposals = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changedContent.event;
  readonly onDidChangeProposals = this.changedProposals.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this));
  }

  get(runId: string): Proposal | undefined {
    return this.byRun.get(runId);
  }

  all(): Proposal[] {
    return [...this.byRun.values()];
  }

  add(proposal: Proposal): void {
    this.byRun.set(proposal.runId, proposal);
    for (const patch of proposal.patches) this.changedContent.fire(proposedUri(proposal.runId, patch.path));
    this.changedProposals.fire();
  }

  remove(runId: string): Proposal | undefined {
    const proposal = this.byRun.get(runId);
    if (!proposal) return undefined;
    this.byRun.delete(runId);
    this.changedProposals.fire();
    return proposal;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const proposal = this.byRun.get(runIdOfProposedUri(uri) ?? '');
    const path = uri.path.slice(1);
    return proposal?.result.files.find((patch) => patch.path === path)?.newContent ?? '';
  }
}
