import * as vscode from 'vscode';
import type { Digest } from '#protocol/digests.ts';
import { followRun } from '../analysis/follow-run.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { selectedProjectOrAsk } from '../notes/selected-project.ts';
import type { ProjectSelection } from '../projects/project-selection.ts';
import type { ReportViewers } from '../reports/report-viewers.ts';
import type { ReportsStore } from '../reports/reports-store.ts';
import type { RunsStore } from '../runs/runs-store.ts';
import type { TrackedRuns } from '../runs/tracked-runs.ts';
import { digestPeriodChoices } from './digest-periods.ts';
import type { DigestPeriod } from './digest-periods.ts';

export interface GenerateDigestDeps {
  connection: Connection;
  selection: ProjectSelection;
  runs: RunsStore;
  trackedRuns: () => TrackedRuns;
  reports: ReportsStore;
  viewers: ReportViewers;
  log: vscode.LogOutputChannel;
}

/** What a digest run answers (server/src/modules/digests/digest-run.ts). */
interface DigestRunResult {
  digestId: string;
  reportId: string;
}

/**
 * "Nyx: Generate Digest...": pick a period, start a digest run with the runs' progress
 * notification, then open the digest's report in the report viewer. A period argument skips the
 * pick. Answers the digest (a draft: publish it from the API or the report).
 */
export function registerGenerateDigestCommand({ connection, selection, runs, trackedRuns, reports, viewers, log }: GenerateDigestDeps): vscode.Disposable {
  return registerCommand('nyx.generateDigest', log, async (period?: DigestPeriod): Promise<Digest | undefined> => {
    const client = connection.requireClient();
    const project = await selectedProjectOrAsk(selection);
    if (!project) return undefined;
    const chosen = period ?? (await vscode.window.showQuickPick(digestPeriodChoices(), { title: `Nyx: Digest of ${project.name}`, placeHolder: 'Which period?' }))?.period;
    if (!chosen) return undefined;
    const run = await client.startDigest(project.id, chosen);
    const done = await followRun(run, `digest of ${project.name}`, runs, trackedRuns);
    if (!done) return undefined;
    if (done.status !== 'succeeded') throw new Error(`The digest of ${project.name} ${done.status}${done.error ? `: ${done.error}` : ''}`);
    const { digestId, reportId } = done.result as DigestRunResult;
    const digest = await client.getDigest(digestId);
    void reports.reload();
    await viewers.show(reportId).loaded;
    log.info(`Digest ${digest.id} of ${project.name}: report ${reportId}`);
    return digest;
  });
}
