import * as vscode from 'vscode';
import type { StoredFinding } from '#protocol/analysis.ts';
import { parsePolicyRuleId } from '#protocol/policies.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import { toFindingDiagnostic } from './finding-diagnostic.ts';
import { findingUri } from './finding-locations.ts';
import { citationUri } from '../policies/clause-uri.ts';
import type { FindingsStore } from './findings-store.ts';

/**
 * The "Nyx" diagnostic collection: the open findings of each folder's project on the folder's
 * files, rebuilt whenever the store changes (an analysis, a dismiss here or by a teammate).
 */
export class FindingsDiagnostics extends Disposable {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('Nyx'));
  private readonly store: FindingsStore;
  private readonly connection: Connection;

  constructor(store: FindingsStore, connection: Connection) {
    super();
    this.store = store;
    this.connection = connection;
    this.register(store.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const { folder, project } of this.store.watched()) {
      for (const finding of this.store.findingsOf(project.id)) {
        const uri = findingUri(folder, finding);
        const entry = byFile.get(uri.toString()) ?? { uri, diagnostics: [] };
        entry.diagnostics.push(toFindingDiagnostic(finding, { fileUri: (path) => vscode.Uri.joinPath(folder.uri, path), docsUri: this.docsUri(finding) }));
        byFile.set(uri.toString(), entry);
      }
    }
    this.collection.clear();
    this.collection.set([...byFile.values()].map((entry) => [entry.uri, entry.diagnostics]));
  }

  /**
   * The rule's docs link from the rules endpoint (the finding carries the same path), on the
   * connected server. A policy gap (`nyx/policy/<key>/<number>`) links to the clause it cites instead.
   */
  private docsUri(finding: StoredFinding): vscode.Uri {
    const cited = parsePolicyRuleId(finding.ruleId);
    if (cited) return citationUri(cited.documentKey, cited.number);
    const state = this.connection.state;
    const base = state.serverUrl;
    const docsUrl = this.store.rule(finding.ruleId)?.docsUrl ?? finding.docsUrl;
    return vscode.Uri.parse(new URL(docsUrl, base).toString());
  }
}
