import * as vscode from 'vscode';
import type { ReportFormat } from '#protocol/webview.ts';
import type { Connection } from '../connection/connection.ts';

const EXTENSIONS: Record<ReportFormat, { ext: string; filter: string }> = {
  markdown: { ext: 'md', filter: 'Markdown' },
  pdf: { ext: 'pdf', filter: 'PDF' },
};

/**
 * Saves a report as a file: fetches `export.md` / `export.pdf` with the token (a server without
 * Chromium answers 503 pdf_unavailable, whose message the caller shows as is), then asks where to
 * save it unless `target` says, and writes it. Fetching first means nobody picks a place for a
 * file the server cannot make. Resolves with the path, undefined when the user cancelled.
 */
export async function downloadReport(connection: Connection, reportId: string, format: ReportFormat, target?: vscode.Uri | string): Promise<string | undefined> {
  const client = connection.requireClient();
  const { ext, filter } = EXTENSIONS[format];
  const file = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: format === 'pdf' ? 'Nyx: rendering the report as PDF…' : 'Nyx: downloading the report…' },
    () => client.exportReport(reportId, format),
  );
  let uri = typeof target === 'string' ? vscode.Uri.file(target) : target;
  if (!uri) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = file.filename ?? `report-${reportId}.${ext}`;
    uri = await vscode.window.showSaveDialog({
      title: `Save the report as ${filter}`,
      saveLabel: `Save ${filter}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [filter]: [ext] },
    });
    if (!uri) return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, file.bytes);
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

/** "Saved …" with a button that opens the file (in VS Code, or outside it for PDFs). */
export function announceSaved(path: string, format: ReportFormat): void {
  void vscode.window.showInformationMessage(`Nyx: report saved to ${path}`, 'Open').then((choice) => {
    if (choice !== 'Open') return;
    const uri = path.includes('://') ? vscode.Uri.parse(path) : vscode.Uri.file(path);
    if (format === 'pdf') void vscode.env.openExternal(uri);
    else void vscode.commands.executeCommand('vscode.open', uri);
  });
}
