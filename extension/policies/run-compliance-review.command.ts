import * as vscode from 'vscode';
import type { ControlMatrix } from '#protocol/policies.ts';
import { followRun } from '../analysis/follow-run.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { selectedProjectOrAsk } from '../notes/selected-project.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { ReportViewers } from '../reports/report-viewers.ts';
import type { ReportsStore } from '../reports/reports-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { policiesApi } from './policies-api.ts';
import type { PoliciesStore } from './policies-store.ts';
import { resolveDocumentId } from './policy-target.ts';
import type { DocumentTarget } from './policy-target.ts';

export interface ComplianceReviewDeps {
  connection: Connection;
  selection: ProjectSelection;
  store: PoliciesStore;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  reports: ReportsStore;
  viewers: ReportViewers;
  log: vscode.LogOutputChannel;
}

/** What scripts and tests pass to skip the questions. */
export interface ComplianceReviewOptions {
  projectId?: string;
  /** Empty: every policy of the team. */
  documentIds?: string[];
  model?: string;
  /** false: do not open the report viewer. */
  show?: boolean;
}

/**
 * "Nyx: Run Compliance Review": the selected project (or one picked now) against the policies
 * picked (all of them preselected), followed with the runs' progress notification, then the
 * report with the control matrix in the report viewer. Answers the matrix.
 */
export function registerRunComplianceReviewCommand(deps: ComplianceReviewDeps): vscode.Disposable {
  const { connection, selection, store, runs, trackedRuns, reports, viewers, log } = deps;
  return registerCommand('nyx.runComplianceReview', log, async (options?: ComplianceReviewOptions | DocumentTarget): Promise<ControlMatrix | undefined> => {
    const client = connection.requireClient();
    const given: ComplianceReviewOptions = isOptions(options) ? options : {};
    const fromView = isOptions(options) ? undefined : resolveDocumentId(options);
    const project = given.projectId ? { id: given.projectId, name: (await client.getProject(given.projectId)).name } : await selectedProjectOrAsk(selection);
    if (!project) return undefined;
    await store.reload();
    if (store.documents.length === 0) {
      const choice = await vscode.window.showWarningMessage('Nyx: the team has no policies to review against yet.', 'Install Starter Policies', 'Upload Policy...');
      if (choice === 'Install Starter Policies') await vscode.commands.executeCommand('nyx.installStarterPolicies');
      if (choice === 'Upload Policy...') await vscode.commands.executeCommand('nyx.uploadPolicy');
      return undefined;
    }
    const documentIds = given.documentIds ?? (fromView ? [fromView] : await pickPolicies(store));
    if (!documentIds) return undefined;
    const run = await policiesApi.startReview(client, project.id, { documentIds, ...(given.model ? { model: given.model } : {}) });
    const names = documentIds.length === 0 || documentIds.length === store.documents.length ? 'all policies' : `${documentIds.length} ${documentIds.length === 1 ? 'policy' : 'policies'}`;
    log.info(`Compliance review of ${project.name} against ${names}: run ${run.id}`);
    const done = await followRun(run, `compliance review of ${project.name}`, runs, trackedRuns);
    if (!done) return undefined; // the window reloaded: the resumed notification reports the outcome
    if (done.status !== 'succeeded') throw new Error(`The compliance review of ${project.name} ${done.status}${done.error ? `: ${done.error}` : ''}`);
    const matrix = await policiesApi.getReview(client, run.id);
    void reports.reload();
    const totals = Object.entries(matrix.totals).filter(([, count]) => count > 0).map(([status, count]) => `${count} ${status.replace('_', ' ')}`).join(', ');
    log.info(`Compliance review ${run.id}: ${matrix.rows.length} clauses (${totals})${matrix.reportId ? `, report ${matrix.reportId}` : ''}`);
    if (matrix.reportId && given.show !== false) await viewers.show(matrix.reportId).loaded;
    return matrix;
  });
}

function isOptions(value: unknown): value is ComplianceReviewOptions {
  return typeof value === 'object' && value !== null && !('kind' in value) && !('documentId' in value);
}

/** Every policy preselected; answers the picked ids ([] = all), undefined when cancelled or none picked. */
async function pickPolicies(store: PoliciesStore): Promise<string[] | undefined> {
  const items = store.documents.map((d) => ({ label: d.title, description: `${d.key} · v${d.latestVersion} · ${d.clauseCount} clauses`, picked: true, id: d.id }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Nyx: Run Compliance Review', placeHolder: 'Review the project against which policies?', canPickMany: true });
  if (!picked || picked.length === 0) return undefined;
  return picked.length === items.length ? [] : picked.map((item) => item.id);
}
