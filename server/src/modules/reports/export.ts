import type { NyxConfig } from '#server/config.ts';
import type { Orm } from '#server/db/orm.ts';
import { REPORT_KIND_LABELS, type ReportKind } from '#protocol/reports.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import type { IReport } from './report.entity.ts';
import { buildReportPage } from './pdf-document.ts';
import type { PdfRenderer } from './pdf-renderer.ts';
import { projectNameOf } from './service.ts';

/** Where people open a report: NYX_PUBLIC_URL when set, else the scheme and host the request reached. */
export function reportUrl(config: Pick<NyxConfig, 'publicUrl'>, requestOrigin: string, reportId: string): string {
  const base = (config.publicUrl ?? requestOrigin).replace(/\/+$/, '');
  return `${base}/api/v1/reports/${reportId}`;
}

/** A file name from the title: letters, digits, dashes; the extension added by the caller. */
export function exportFileName(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'report'
  );
}

export async function renderReportPdf(orm: Orm, renderer: PdfRenderer, auth: Authenticated, report: IReport, url: string): Promise<Buffer> {
  const page = await buildReportPage({
    title: report.title,
    projectName: await projectNameOf(orm, auth, report.projectId),
    kindLabel: REPORT_KIND_LABELS[report.kind as ReportKind],
    date: report.createdAt.toISOString().slice(0, 10),
    url,
    markdown: report.markdown,
  });
  return renderer.render(page);
}
