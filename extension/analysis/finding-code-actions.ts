import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { toVscodeRange, findingOfDiagnostic, locateFile } from './finding-locations.ts';
import type { FindingsStore } from './findings-store.ts';
import type { FixPersona } from './fix-persona.ts';
import { sha256Hex } from './snapshot-manifest.ts';
import type { WorkspaceAnalyzer } from './workspace-analyzer.ts';

/**
 * Quick fixes on Nyx diagnostics, in this order: apply the finding's deterministic fix (preferred,
 * so it is the one preselected and bound to "Auto Fix"), ask a persona to fix it (an auto-fix run),
 * show its details, and last, triage it for the team (dismiss as false positive, won't fix or
 * accepted). In Restricted Mode no fix is offered: fixes change files, which waits for trust.
 */
export class FindingCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };
  private readonly store: FindingsStore;
  private readonly analyzer: WorkspaceAnalyzer;
  private readonly persona: FixPersona;

  constructor(store: FindingsStore, analyzer: WorkspaceAnalyzer, persona: FixPersona) {
    this.store = store;
    this.analyzer = analyzer;
    this.persona = persona;
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const dismissals: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const finding = findingOfDiagnostic(this.store, document.uri, diagnostic);
      if (!finding) continue;
      const fix = vscode.workspace.isTrusted ? this.fixAction(document, finding, diagnostic) : undefined;
      if (fix) actions.push(fix);
      if (vscode.workspace.isTrusted) actions.push(commandAction(`Ask ${this.persona.name} to fix`, 'nyx.askPersonaToFix', finding, diagnostic));
      actions.push(commandAction(`Show details of ${finding.ruleId}`, 'nyx.showFindingDetails', finding, diagnostic));
      dismissals.push(commandAction(`Dismiss for the team: ${finding.ruleId}…`, 'nyx.triageFinding', finding, diagnostic));
    }
    // Dismissals after every fix and detail of every diagnostic at the cursor.
    return [...actions, ...dismissals];
  }

  /**
   * The fix's edits are positions in the file as it was analyzed. When this window analyzed the
   * file and it has changed since, the positions may be wrong: no fix until the next analysis.
   */
  private fixAction(document: vscode.TextDocument, finding: StoredFinding, diagnostic: vscode.Diagnostic): vscode.CodeAction | undefined {
    if (!finding.fix) return undefined;
    const located = locateFile(this.store, document.uri);
    const analyzed = located && this.analyzer.analyzedHash(located.watched.project.id, located.path);
    if (analyzed && analyzed !== sha256Hex(document.getText())) return undefined;
    const action = new vscode.CodeAction(`Apply fix: ${finding.fix.description}`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    for (const edit of finding.fix.edits) action.edit.replace(document.uri, toVscodeRange(edit.range), edit.newText);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    // Runs after the edit: the squiggle goes at once, and the file is re-analyzed as it is now.
    action.command = { command: 'nyx.findingFixApplied', title: 'Re-analyze', arguments: [finding.id, document.uri] };
    return action;
  }
}

function commandAction(title: string, command: string, finding: StoredFinding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.command = { command, title, arguments: [finding.id] };
  action.diagnostics = [diagnostic];
  return action;
}
