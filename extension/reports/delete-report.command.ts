import * as vscode from 'vscode';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import type { ReportViewers } from './report-viewers.ts';
import { resolveReportId } from './report-target.ts';
import type { ReportTarget } from './report-target.ts';
import type { ReportsStore } from './reports-store.ts';

/**
 * "Nyx: Delete Report": deletes it for the whole team after a modal confirmation (skipped when the
 * caller passes `{ confirmed: true }`). Answers whether it was deleted.
 */
export function registerDeleteReportCommand(connection: Connection, store: ReportsStore, viewers: ReportViewers, log: vscode.LogOutputChannel): vscode.Disposable {
  return registerCommand('nyx.deleteReport', log, async (target?: ReportTarget, options?: { confirmed?: boolean }): Promise<boolean> => {
    const reportId = await resolveReportId(target, store, 'Delete Report');
    if (!reportId) return false;
    if (!options?.confirmed) {
      const title = store.reports.find((report) => report.id === reportId)?.title ?? 'this report';
      const choice = await vscode.window.showWarningMessage(`Delete "${title}"?`, { modal: true, detail: 'It is deleted for everyone on the team.' }, 'Delete');
      if (choice !== 'Delete') return false;
    }
    await connection.requireClient().deleteReport(reportId);
    store.forget(reportId);
    viewers.close(reportId);
    return true;
  });
}
