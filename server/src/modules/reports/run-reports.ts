// The "every run ends with a report" hook for kinds that do not write one themselves: a handler
// that returns `{ reportMarkdown, reportTitle?, reportKind?, reportMetadata? }` as (part of) its
// result gets a report once the run succeeded. Kinds that want more control call saveRunReport
// during the run; a run that already has a report is left alone here.
import { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { systemEm } from '#server/db/tenant-context.ts';
import type { EventBus } from '#server/events/bus.ts';
import type { Logger } from '#server/logger.ts';
import { ReportKind } from '#protocol/reports.ts';
import { saveRunReport } from './service.ts';

export const RunReportResult = z.object({
  reportMarkdown: z.string().min(1),
  reportTitle: z.string().min(1).max(300).optional(),
  /** Defaults to the run's kind ("auto-fix" reads as autofix); kinds that are no report kind need it. */
  reportKind: ReportKind.optional(),
  reportMetadata: z.record(z.string(), z.unknown()).optional(),
});
export type RunReportResult = z.infer<typeof RunReportResult>;

interface FinishedRun {
  id: string;
  tenant_id: string;
  project_id: string;
  kind: string;
  created_by: string | null;
  result: unknown;
}

function reportKindOf(runKind: string, declared: ReportKind | undefined): ReportKind | null {
  if (declared) return declared;
  const parsed = ReportKind.safeParse(runKind.replace(/[^a-z]/g, ''));
  return parsed.success ? parsed.data : null;
}

/**
 * Listens for run updates and writes the reports of succeeded runs whose result carries
 * `reportMarkdown`. Updates are batched (one query per burst); several instances may hear the
 * same run, and the unique run_id of reports keeps it to one report. Returns the unsubscribe.
 */
export function watchRunReports(orm: Orm, bus: EventBus, log: Logger): () => void {
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;

  const flush = async (): Promise<void> => {
    while (pending.size) {
      const ids = [...pending];
      pending.clear();
      const runs = await systemEm(orm).execute<FinishedRun[]>(
        `select id, tenant_id, project_id, kind, created_by, result from runs
          where id = any(?::uuid[]) and status = 'succeeded' and result ->> 'reportMarkdown' is not null
            and not exists (select 1 from reports where reports.run_id = runs.id)`,
        [`{${ids.join(',')}}`],
      );
      for (const run of runs) {
        const parsed = RunReportResult.safeParse(run.result);
        const kind = parsed.success ? reportKindOf(run.kind, parsed.data.reportKind) : null;
        if (!parsed.success || !kind) {
          log.warn({ runId: run.id, kind: run.kind }, 'run result has reportMarkdown but no usable report kind or shape; no report written');
          continue;
        }
        await saveRunReport({ orm }, { tenantId: run.tenant_id, userId: run.created_by }, {
          kind,
          projectId: run.project_id,
          runId: run.id,
          title: parsed.data.reportTitle,
          markdown: parsed.data.reportMarkdown,
          metadata: { runKind: run.kind, ...parsed.data.reportMetadata },
        }).catch((error: Error) => log.warn({ err: error, runId: run.id }, 'writing the report of a finished run failed'));
      }
    }
  };

  const schedule = (): void => {
    if (flushing) return;
    flushing = flush()
      .catch((error: Error) => log.warn({ err: error }, 'reading finished runs for reports failed'))
      .finally(() => {
        flushing = null;
        // An update that arrived after the last loop check but before this point.
        if (pending.size) schedule();
      });
  };

  return bus.subscribe((message) => {
    if (message.type !== 'run.updated') return;
    pending.add(message.runId);
    schedule();
  });
}
