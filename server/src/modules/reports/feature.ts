// The reports feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { reportRoutes } from '#protocol/reports.ts';
import { reportsRouter } from './routes.ts';
import { ReportRow } from './report.entity.ts';
import { watchRunReports } from './run-reports.ts';

/** Reports written by finished runs, and their Markdown/PDF exports. */
export const reportsFeature: Feature = {
  name: 'reports',
  contracts: reportRoutes,
  router: reportsRouter,
  runKinds: [],
  entities: [ReportRow],
  eventKinds: [],
  // Turns `result.reportMarkdown` of finished runs into reports.
  start: (services) => watchRunReports(services.orm, services.runs.bus, services.log),
};
