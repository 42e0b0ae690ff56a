import * as vscode from 'vscode';
import type { ReportSummary } from '#protocol/reports.ts';
import type { ReportsStore } from './reports-store.ts';

/** What report commands are called with: a tree item's report, an id, or nothing (then: ask). */
export type ReportTarget = ReportSummary | string | undefined;

/** The report id a command acts on; asks with a pick of the selected project's reports when none was given. */
export async function resolveReportId(target: ReportTarget, store: ReportsStore, action: string): Promise<string | undefined> {
  if (typeof target === 'string') return target;
  if (target?.id) return target.id;
  if (store.reports.length === 0) await store.reload();
  const picked = await vscode.window.showQuickPick(
    store.reports.map((report) => ({ label: report.title, description: new Date(report.createdAt).toLocaleString(), id: report.id })),
    { title: `Nyx: ${action}`, placeHolder: store.reports.length ? 'Which report?' : 'The selected project has no reports yet' },
  );
  return picked?.id;
}
