import * as vscode from 'vscode';
import type { FindingsStore } from '../analysis/findings-store.ts';
import { registerCommand } from '../command.ts';
import type { AutofixOutcome, AutofixRuns } from './autofix-runs.ts';
import { choosePersonaAndModel } from './run-choices.ts';
import type { ChoiceSources, ModelChoice } from './run-choices.ts';
import { refactorRequest } from './run-requests.ts';

/** Arguments for scripts and tests: with an instruction the command asks nothing. */
export interface RefactorSelectionArgs extends ModelChoice {
  instruction?: string;
}

/**
 * "Nyx: Refactor Selection...": asks what to change, who and with which model, uploads the
 * file's current text if the server lacks it, and starts a refactor run focused on the selection
 * (the whole file when nothing is selected). Resolves when the proposal is offered.
 */
export function registerRefactorSelectionCommand(findings: FindingsStore, runs: AutofixRuns, choices: () => ChoiceSources, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.refactorSelection', log, async (args: RefactorSelectionArgs = {}): Promise<AutofixOutcome | undefined> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new Error('Nyx: open a file and select the code to refactor.');
    const { document, selection } = editor;
    let instruction = args.instruction?.trim();
    let choice: ModelChoice = { personaId: args.personaId, model: args.model };
    if (!instruction) {
      instruction = (
        await vscode.window.showInputBox({
          title: 'Nyx: Refactor Selection',
          prompt: selection.isEmpty ? 'What should change in this file?' : `What should change in lines ${selection.start.line + 1}-${selection.end.line + 1}?`,
          placeHolder: 'e.g. extract the validation into a function',
          ignoreFocusOut: true,
          validateInput: (value) => (value.trim() ? undefined : 'Say what to change'),
        })
      )?.trim();
      if (!instruction) return undefined;
      const chosen = await choosePersonaAndModel(choices(), 'Nyx: Refactor');
      if (!chosen) return undefined;
      choice = chosen;
    }
    return runs.start(refactorRequest(findings, document, selection, instruction, choice));
  });
}
