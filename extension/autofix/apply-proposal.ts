import * as vscode from 'vscode';
import type { AppliedResult, FilePatch } from '#protocol/autofix.ts';
import type { NyxClient } from '../api/client.ts';
import { toVscodeRange } from '../analysis/finding-locations.ts';
import { documentBlob, documentMatches, ensureBlobsUploaded } from './document-blob.ts';
import { documentUri } from './proposals.ts';
import type { Proposal } from './proposals.ts';

export type ApplyOutcome =
  /** Edited, saved and reported; the server re-analyzes the files. */
  | { status: 'applied'; paths: string[]; report: AppliedResult }
  /** These files changed since the run read them: nothing was edited. */
  | { status: 'stale'; paths: string[] }
  /** Every file had been applied before (here, in another window, by a teammate): nothing edited. */
  | { status: 'already-applied'; paths: string[] };

/**
 * Applies a proposal the safe way:
 * 1. asks the server which files were applied already (after a reload, or by a teammate), and
 *    leaves those out: nothing is applied twice;
 * 2. checks that every remaining document still hashes to its patch's base blob, else edits
 *    nothing (the ranges would land on other text);
 * 3. applies all edits as ONE WorkspaceEdit (one undo step), saves, and reports the saved
 *    hashes; a file that does not save exactly as proposed (a format-on-save) is uploaded first.
 */
export async function applyProposal(client: NyxClient, proposal: Proposal): Promise<ApplyOutcome> {
  const state = await client.getAutofix(proposal.runId);
  const appliedPaths = new Set(state.applications.map((application) => application.path));
  const patches = proposal.patches.filter((patch) => !appliedPaths.has(patch.path));
  if (patches.length === 0) return { status: 'already-applied', paths: proposal.patches.map((patch) => patch.path) };

  const documents = await Promise.all(patches.map((patch) => vscode.workspace.openTextDocument(documentUri(proposal, patch.path))));
  const stale = patches.filter((patch, index) => !documentMatches(documents[index]!, patch.baseBlobHash)).map((patch) => patch.path);
  if (stale.length > 0) return { status: 'stale', paths: stale };

  const edit = new vscode.WorkspaceEdit();
  patches.forEach((patch, index) => {
    for (const change of patch.edits) edit.replace(documents[index]!.uri, toVscodeRange(change.range), change.newText);
  });
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit (is a file read-only?)');
  for (const document of documents) await save(document);

  const files = await savedHashes(client, proposal.projectId, patches, documents);
  const report = await client.reportAutofixApplied(proposal.runId, { files });
  return { status: 'applied', paths: patches.map((patch) => patch.path), report };
}

/** How long Apply waits for a save of the same file that VS Code already has under way. */
const RUNNING_SAVE_TIMEOUT_MS = 30_000;

/**
 * Saves the edited document. VS Code refuses a save that arrives while another save of the same
 * file is running its save participants (TextFileEditorModel: "refusing to save() recursively
 * from save participant") and answers `false`, the file still dirty. On the web workbench
 * (code-server) `files.autoSave` defaults to `afterDelay`, so the auto-save of our own edit can be
 * in that phase when our save arrives; a loaded machine makes the window wide (#20). That running
 * save writes our edit too: wait for it instead of failing the apply, then save once more only
 * if the file is still dirty.
 */
async function save(document: vscode.TextDocument): Promise<void> {
  const otherSave = nextSave(document);
  try {
    if ((await document.save()) || !document.isDirty) return;
    await otherSave.saved;
    if (!document.isDirty || ((await document.save()) && !document.isDirty)) return;
  } finally {
    otherSave.dispose();
  }
  throw new Error(`Could not save ${vscode.workspace.asRelativePath(document.uri)}: it was edited (undo reverts it) but not reported to Nyx`);
}

/** Settles at the next save of the document (or after RUNNING_SAVE_TIMEOUT_MS); listening starts at once. */
function nextSave(document: vscode.TextDocument): { saved: Promise<void>; dispose(): void } {
  let listener: vscode.Disposable | undefined;
  let timer: NodeJS.Timeout | undefined;
  const saved = new Promise<void>((resolve) => {
    listener = vscode.workspace.onDidSaveTextDocument((savedDocument) => savedDocument.uri.toString() === document.uri.toString() && resolve());
    timer = setTimeout(resolve, RUNNING_SAVE_TIMEOUT_MS);
  });
  return {
    saved,
    dispose() {
      listener?.dispose();
      clearTimeout(timer);
    },
  };
}

async function savedHashes(client: NyxClient, projectId: string, patches: FilePatch[], documents: vscode.TextDocument[]) {
  const changed = patches.flatMap((patch, index) => (documentMatches(documents[index]!, patch.newBlobHash) ? [] : [documentBlob(documents[index]!, patch.path)]));
  if (changed.length > 0) await ensureBlobsUploaded(client, projectId, changed);
  return patches.map((patch) => ({ path: patch.path, newBlobHash: changed.find((blob) => blob.path === patch.path)?.sha256 ?? patch.newBlobHash }));
}
