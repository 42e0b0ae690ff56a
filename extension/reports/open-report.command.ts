import type * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { ReportViewers } from './report-viewers.ts';
import { resolveReportId } from './report-target.ts';
import type { ReportTarget } from './report-target.ts';
import type { ReportsStore } from './reports-store.ts';

/** "Nyx: Open Report": the report viewer (from the Reports view, an id, or a pick). Answers the report id. */
export function registerOpenReportCommand(store: ReportsStore, viewers: ReportViewers, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.openReport', log, async (target?: ReportTarget): Promise<string | undefined> => {
    const reportId = await resolveReportId(target, store, 'Open Report');
    if (!reportId) return undefined;
    await viewers.show(reportId).loaded;
    return reportId;
  });
}
