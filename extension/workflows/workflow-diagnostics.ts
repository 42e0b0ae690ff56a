import * as vscode from 'vscode';
import { Disposable } from '../lifecycle.ts';
import { WORKFLOW_FILE, validateWorkflowYaml } from './workflow-yaml.ts';

export function isWorkflowDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme !== 'output' && WORKFLOW_FILE.test(document.uri.path);
}

/**
 * Errors in `.nyx/workflows/*.yaml` while they are edited: YAML syntax, the workflow schema and
 * the template checker (unknown, forward and duplicate references), each naming its step. Works
 * without the Red Hat YAML extension; with it, package.json's yamlValidation adds schema hovers.
 */
export class WorkflowDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('nyx-workflows'));
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor() {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.check(document)));
    this.register(vscode.workspace.onDidChangeTextDocument((event) => this.checkSoon(event.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
    this.register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    for (const document of vscode.workspace.textDocuments) this.check(document);
  }

  check(document: vscode.TextDocument): vscode.Diagnostic[] {
    if (!isWorkflowDocument(document)) return [];
    const diagnostics = validateWorkflowYaml(document.getText()).map((problem) => {
      const range = new vscode.Range(document.positionAt(problem.start), document.positionAt(problem.end));
      const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Nyx workflow';
      return diagnostic;
    });
    this.collection.set(document.uri, diagnostics);
    return diagnostics;
  }

  /** Typing fires a change per key: check once the typing pauses. */
  private checkSoon(document: vscode.TextDocument): void {
    if (!isWorkflowDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.check(document);
      }, 150),
    );
  }
}
