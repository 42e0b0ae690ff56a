import * as vscode from 'vscode';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { registerAnalyzeWorkspaceCommand } from './analyze-workspace.command.ts';
import { registerAskPersonaToFixCommand } from './ask-persona-to-fix.command.ts';
import { registerDismissFindingCommand } from './dismiss-finding.command.ts';
import { registerExplainFindingCommand } from './explain-finding.command.ts';
import { FindingCodeActions } from './finding-code-actions.ts';
import { FindingsDiagnostics } from './findings-diagnostics.ts';
import { FindingsStatusBar } from './findings-status-bar.ts';
import { FindingsStore } from './findings-store.ts';
import { FindingsTree } from './findings-tree.ts';
import { FixPersona } from './fix-persona.ts';
import { registerToggleFindingsGroupingCommand } from './toggle-findings-grouping.command.ts';
import { WorkspaceAnalyzer } from './workspace-analyzer.ts';
import { FindingHover } from './finding-hover.ts';
import { FindingDetailsPanels } from './finding-details-panel.ts';
import { LiveAnalysis } from './live-analysis.ts';
import { registerFindingFixAppliedCommand } from './finding-fix-applied.command.ts';
import { registerTriageCommands } from './triage-finding.command.ts';
import { registerFilterFindingsCommands } from './filter-findings.command.ts';

export interface AnalysisFeatureDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/** Code analysis in the editor: snapshots and analysis runs (whole folders and live), findings as diagnostics with hovers, the Findings view with filters, quick fixes, triage. */
export class AnalysisFeature extends Disposable {
  readonly findings: FindingsStore;
  readonly analyzer: WorkspaceAnalyzer;
  readonly diagnostics: FindingsDiagnostics;
  readonly tree: FindingsTree;
  readonly statusBar: FindingsStatusBar;
  readonly codeActions: FindingCodeActions;
  readonly live: LiveAnalysis;
  /** Finding details panels (webviews/finding-details), one per finding. */
  readonly details: FindingDetailsPanels;

  constructor({ connection, selection, runs, trackedRuns, log, extensionUri }: AnalysisFeatureDeps) {
    super();
    this.findings = this.register(new FindingsStore(connection, selection, log));
    this.analyzer = new WorkspaceAnalyzer(this.findings, runs, trackedRuns, log);
    this.diagnostics = this.register(new FindingsDiagnostics(this.findings, connection));
    this.tree = this.register(new FindingsTree(this.findings));
    this.statusBar = this.register(new FindingsStatusBar(this.findings, connection));
    const persona = this.register(new FixPersona(connection));
    this.codeActions = new FindingCodeActions(this.findings, this.analyzer, persona);
    // Findings are on workspace files: `file` locally and on a remote extension host, or the folders' own scheme.
    const schemes = new Set(['file', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)]);
    const selector = [...schemes].map((scheme) => ({ scheme }));
    this.register(vscode.languages.registerCodeActionsProvider(selector, this.codeActions, FindingCodeActions.metadata));
    this.register(vscode.languages.registerHoverProvider(selector, new FindingHover(this.findings)));
    this.live = this.register(new LiveAnalysis(this.findings, this.analyzer, connection, log));
    this.register(registerFindingFixAppliedCommand(this.findings, this.live, log));
    this.register(registerAnalyzeWorkspaceCommand(connection, selection, this.analyzer, log));
    this.register(registerDismissFindingCommand(connection, this.findings, log));
    this.register(registerTriageCommands(connection, this.findings, log));
    this.register(registerFilterFindingsCommands(this.tree, this.findings, log));
    this.details = this.register(new FindingDetailsPanels({ connection, store: this.findings, extensionUri, log }));
    this.register(registerExplainFindingCommand(connection, this.findings, this.details, log));
    this.register(registerAskPersonaToFixCommand(connection, this.findings, persona, runs, trackedRuns, log));
    this.register(registerToggleFindingsGroupingCommand(this.tree, log));
  }
}
