import * as vscode from 'vscode';
import type { FindingsStore } from './findings-store.ts';

/**
 * Lets the user pick one of the watched projects' open findings, those of the active file first.
 * `verb` names what happens next ("dismiss", "triage"), in the empty-state message and the title.
 */
export async function pickOpenFinding(store: FindingsStore, verb: string, title: string): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const items = store.watched().flatMap(({ folder, project }) =>
    store.findingsOf(project.id).map((finding) => ({
      label: finding.message.split('\n')[0],
      description: `${finding.path}:${finding.range.startLine}`,
      detail: finding.ruleId,
      findingId: finding.id,
      inActiveFile: vscode.Uri.joinPath(folder.uri, finding.path).toString() === active,
    })),
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Nyx: no open findings to ${verb}. Run "Nyx: Analyze Workspace" first.`);
    return undefined;
  }
  items.sort((a, b) => Number(b.inActiveFile) - Number(a.inActiveFile));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.findingId;
}
