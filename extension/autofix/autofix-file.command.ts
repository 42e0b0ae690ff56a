import * as vscode from 'vscode';
import type { FindingsStore } from '../analysis/findings-store.ts';
import { registerCommand } from '../command.ts';
import type { AutofixOutcome, AutofixRuns } from './autofix-runs.ts';
import { choosePersonaAndModel } from './run-choices.ts';
import type { ChoiceSources, ModelChoice } from './run-choices.ts';
import { autofixRequest, openFindingsOf } from './run-requests.ts';

/** Arguments for scripts and tests; without them the command asks. */
export interface AutofixFileArgs extends ModelChoice {
  uri?: vscode.Uri;
  /** Only these findings of the file (default: all its open findings). */
  findingIds?: string[];
}

/**
 * "Nyx: Auto-Fix Findings in File": the open Nyx findings of the active file go to an auto-fix
 * run. When every one has an analyzer fix the server needs no model (and no persona); otherwise
 * the user picks a persona and a model. Resolves when the proposal is offered (or the run ended).
 */
export function registerAutofixFileCommand(findings: FindingsStore, runs: AutofixRuns, choices: () => ChoiceSources, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.autoFixFindingsInFile', log, async (args: AutofixFileArgs = {}): Promise<AutofixOutcome | undefined> => {
    const uri = args.uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!uri) throw new Error('Nyx: open the file whose findings should be fixed.');
    let targets = openFindingsOf(findings, uri);
    if (args.findingIds) targets = targets.filter((finding) => args.findingIds!.includes(finding.id));
    if (targets.length === 0) {
      void vscode.window.showInformationMessage(`Nyx: no open findings in ${vscode.workspace.asRelativePath(uri)}. Run "Nyx: Analyze Workspace" to check it.`);
      return undefined;
    }
    const interactive = !args.findingIds && args.personaId === undefined && args.model === undefined;
    if (interactive && targets.length > 1) {
      const picked = await vscode.window.showQuickPick(
        targets.map((finding) => ({ label: `${finding.range.startLine}: ${finding.message}`, description: finding.ruleId, picked: true, finding })),
        { title: 'Nyx: Auto-Fix', placeHolder: 'Findings to fix', canPickMany: true },
      );
      if (!picked || picked.length === 0) return undefined;
      targets = picked.map((item) => item.finding);
    }
    // Analyzer fixes cover everything: the server applies them without a model, so don't ask for one.
    const needsModel = targets.some((finding) => !finding.fix);
    let choice: ModelChoice = { personaId: args.personaId, model: args.model };
    if (interactive && needsModel) {
      const chosen = await choosePersonaAndModel(choices(), 'Nyx: Auto-Fix');
      if (!chosen) return undefined;
      choice = chosen;
    }
    return runs.start(await autofixRequest(findings, targets.map((finding) => finding.id), choice));
  });
}
