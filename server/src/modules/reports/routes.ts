import Router from '@koa/router';
import type { AppServices } from '#server/services.ts';
import type { NyxContext, NyxState } from '#server/http/context.ts';
import { mount, parseWith, type MountDeps } from '#server/http/mount.ts';
import { ReportIdParams, reportRoutes } from '#protocol/reports.ts';
import { exportFileName, renderReportPdf, reportUrl } from './export.ts';
import { createReport, deleteReport, getReport, listReports, toReportDto } from './service.ts';

function attachment(ctx: NyxContext, type: string, fileName: string): void {
  ctx.type = type;
  ctx.set('content-disposition', `attachment; filename="${fileName}"`);
  ctx.set('cache-control', 'private, no-store');
}

export function reportsRouter(services: AppServices, deps: MountDeps): Router<NyxState> {
  const router = new Router<NyxState>();
  const { orm } = services;
  const idOf = (params: Record<string, string>) => parseWith(ReportIdParams, params, 'id').id;

  mount(router, deps, reportRoutes.list, async ({ auth, query }) => ({ items: await listReports(orm, auth, query) }));
  mount(router, deps, reportRoutes.create, ({ auth, body }) => createReport(orm, auth, body));
  mount(router, deps, reportRoutes.get, async ({ auth, params }) => toReportDto(await getReport(orm, auth, idOf(params))));
  mount(router, deps, reportRoutes.remove, ({ auth, params }) => deleteReport(orm, auth, idOf(params)));
  mount(router, deps, reportRoutes.exportMarkdown, async ({ auth, params, ctx }) => {
    const report = await getReport(orm, auth, idOf(params));
    attachment(ctx, 'text/markdown; charset=utf-8', `${exportFileName(report.title)}.md`);
    return report.markdown;
  });
  mount(router, deps, reportRoutes.exportPdf, async ({ auth, params, ctx }) => {
    const report = await getReport(orm, auth, idOf(params));
    const pdf = await renderReportPdf(orm, services.pdf, auth, report, reportUrl(services.config, `${ctx.protocol}://${ctx.host}`, report.id));
    attachment(ctx, 'application/pdf', `${exportFileName(report.title)}.pdf`);
    return pdf;
  });
  return router;
}
