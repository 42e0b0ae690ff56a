import * as vscode from 'vscode';
import type { ReportFormat } from '#protocol/webview.ts';
import { registerCommand } from '../command.ts';
import type { Connection } from '../connection/connection.ts';
import { announceSaved, downloadReport } from './report-download.ts';
import { resolveReportId } from './report-target.ts';
import type { ReportTarget } from './report-target.ts';
import type { ReportsStore } from './reports-store.ts';

/**
 * "Nyx: Download Report as Markdown / PDF". A second argument names the file to write instead of
 * asking with the save dialog (scripts and tests). Answers the path written.
 */
export function registerDownloadReportCommands(connection: Connection, store: ReportsStore, log: vscode.LogOutputChannel): vscode.Disposable {
  const download = (format: ReportFormat, title: string) => async (target?: ReportTarget, path?: string): Promise<string | undefined> => {
    const reportId = await resolveReportId(target, store, title);
    if (!reportId) return undefined;
    const saved = await downloadReport(connection, reportId, format, path);
    if (saved && path === undefined) announceSaved(saved, format);
    return saved;
  };
  return vscode.Disposable.from(
    registerCommand('nyx.downloadReportMarkdown', log, download('markdown', 'Download Report as Markdown')),
    registerCommand('nyx.downloadReportPdf', log, download('pdf', 'Download Report as PDF')),
  );
}
