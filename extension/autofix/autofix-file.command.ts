import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { whenTrusted } from '../trust.ts';
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

/** What the command resolves with: the run's outcome, and the findings left out for lack of a model. */
export type AutofixFileOutcome = Partial<AutofixOutcome> & { skipped: string[] };

/**
 * "Nyx: Auto-Fix Findings in File": the open Nyx findings of the active file go to an auto-fix
 * run. The picker says which ones the analyzers fix (no model) and which need a model. When every
 * chosen one has an analyzer fix the server needs no model (and no persona); otherwise the user
 * picks a persona and a model. Without a configured AI provider the analyzer fixes still run and
 * the others are reported as skipped, with a button that configures a provider. Resolves when the
 * proposal is offered (or the run ended).
 */
export function registerAutofixFileCommand(findings: FindingsStore, runs: AutofixRuns, choices: () => ChoiceSources, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.autoFixFindingsInFile', log, async (args: AutofixFileArgs = {}): Promise<AutofixFileOutcome | undefined> => {
    if (!(await whenTrusted('auto-fix findings (it uploads the files and changes them)'))) return undefined;
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
        targets.map((finding) => ({
          label: `${finding.fix ? '$(wrench)' : '$(sparkle)'} ${finding.range.startLine}: ${finding.message}`,
          description: finding.ruleId,
          detail: finding.fix ? `Analyzer fix, no model needed: ${finding.fix.description}` : 'Needs an AI model',
          picked: true,
          finding,
        })),
        { title: 'Nyx: Auto-Fix', placeHolder: 'Pick findings (wrench: no model; sparkle: needs a model)', canPickMany: true, matchOnDetail: true },
      );
      if (!picked || picked.length === 0) return undefined;
      targets = picked.map((item) => item.finding);
    }
    // Analyzer fixes cover everything: the server applies them without a model, so don't ask for one.
    let skipped: StoredFinding[] = [];
    if (targets.some((finding) => !finding.fix) && !(await hasConfiguredProvider(choices()))) {
      skipped = targets.filter((finding) => !finding.fix);
      targets = targets.filter((finding) => finding.fix);
      announceSkipped(skipped, targets.length);
      if (targets.length === 0) return { skipped: skipped.map((finding) => finding.id) };
    }
    const needsModel = targets.some((finding) => !finding.fix);
    let choice: ModelChoice = { personaId: args.personaId, model: args.model };
    if (interactive && needsModel) {
      const chosen = await choosePersonaAndModel(choices(), 'Nyx: Auto-Fix');
      if (!chosen) return undefined;
      choice = chosen;
    }
    const outcome = await runs.start(await autofixRequest(findings, targets.map((finding) => finding.id), choice));
    return { ...outcome, skipped: skipped.map((finding) => finding.id) };
  });
}

async function hasConfiguredProvider(sources: ChoiceSources): Promise<boolean> {
  const catalog = await sources.client.listModels().catch(() => undefined);
  // Unknown (an old server, a failed call): let the server decide and say so.
  if (!catalog) return true;
  return catalog.models.some((model) => catalog.configuredProviders.includes(model.provider));
}

/** Not awaited: the analyzer fixes go ahead while the message is on screen. */
function announceSkipped(skipped: readonly StoredFinding[], running: number): void {
  const rules = [...new Set(skipped.map((finding) => finding.ruleId.split('/').pop()))].join(', ');
  const what = `${skipped.length} finding${skipped.length === 1 ? '' : 's'} (${rules}) need${skipped.length === 1 ? 's' : ''} an AI model, and no AI provider is configured`;
  const message = running > 0 ? `Nyx: fixing ${running} with the analyzers' fixes; skipped ${what}.` : `Nyx: nothing to fix without a model: ${what}.`;
  void vscode.window.showWarningMessage(message, CONFIGURE_PROVIDER).then((picked) => {
    if (picked === CONFIGURE_PROVIDER) void vscode.commands.executeCommand('nyx.configureProvider');
  });
}

const CONFIGURE_PROVIDER = 'Configure Provider';
