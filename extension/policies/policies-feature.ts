import type * as vscode from 'vscode';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { ReportViewers } from '../reports/report-viewers.ts';
import type { ReportsStore } from '../reports/reports-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { PolicyDocuments } from './clause-documents.ts';
import { registerManagePolicyCommands } from './manage-policies.commands.ts';
import { registerOpenClauseCommands } from './open-clause.command.ts';
import { PoliciesStore } from './policies-store.ts';
import { PoliciesTree } from './policies-tree.ts';
import { registerRunComplianceReviewCommand } from './run-compliance-review.command.ts';

export interface PoliciesFeatureDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  reports: ReportsStore;
  viewers: ReportViewers;
  log: vscode.LogOutputChannel;
}

/**
 * The team's policy library in the editor: the Policies view (documents, versions, clauses),
 * upload and the starter set, clause documents that citations open, and compliance reviews.
 */
export class PoliciesFeature extends Disposable {
  readonly store: PoliciesStore;
  readonly tree: PoliciesTree;
  readonly documents: PolicyDocuments;

  constructor({ connection, selection, runs, trackedRuns, reports, viewers, log }: PoliciesFeatureDeps) {
    super();
    this.store = this.register(new PoliciesStore(connection, log));
    this.tree = this.register(new PoliciesTree(this.store, connection));
    this.documents = this.register(new PolicyDocuments(connection, this.store));
    this.register(registerManagePolicyCommands(connection, this.store, log));
    this.register(registerOpenClauseCommands(connection, log));
    this.register(registerRunComplianceReviewCommand({ connection, selection, store: this.store, runs, trackedRuns, reports, viewers, log }));
  }
}
