import { z } from 'zod';
import { route } from './routes.ts';

/** What produced a report. `digest` reports are written by digest runs (protocol/digests.ts). */
export const ReportKind = z.enum(['analysis', 'autofix', 'refactor', 'discussion', 'workflow', 'digest', 'compliance']);
export type ReportKind = z.infer<typeof ReportKind>;

/** How a kind reads in titles, PDF headers and trees. */
export const REPORT_KIND_LABELS: Record<ReportKind, string> = {
  analysis: 'Analysis',
  autofix: 'Auto-fix',
  refactor: 'Refactor',
  discussion: 'Discussion',
  workflow: 'Workflow',
  digest: 'Digest',
  compliance: 'Compliance review',
};

const Metadata = z
  .record(z.string().max(100), z.unknown())
  .refine((metadata) => JSON.stringify(metadata).length <= 64 * 1024, 'must serialise to at most 64 KiB');

/** Everything about a report but its body: what lists and trees show. */
export const ReportSummary = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  /** The run that produced it; null for reports created on demand. */
  runId: z.uuid().nullable(),
  kind: ReportKind,
  /** "<project name> — <kind label> — <YYYY-MM-DD>" unless the creator chose one. */
  title: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
});
export type ReportSummary = z.infer<typeof ReportSummary>;

export const Report = ReportSummary.extend({
  /** The body, GitHub-flavoured Markdown. Render it sanitised: it may quote model output and code. */
  markdown: z.string(),
});
export type Report = z.infer<typeof Report>;

export const ReportCreate = z.strictObject({
  projectId: z.uuid(),
  kind: ReportKind,
  /** Defaults to "<project name> — <kind label> — <today>". */
  title: z.string().trim().min(1).max(300).optional(),
  markdown: z.string().min(1).max(2 * 1024 * 1024),
  metadata: Metadata.default({}),
  runId: z.uuid().optional(),
});
export type ReportCreate = z.input<typeof ReportCreate>;

export const ReportListQuery = z.strictObject({
  projectId: z.uuid().optional(),
  kind: ReportKind.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ReportListQuery = z.input<typeof ReportListQuery>;

export const ReportList = z.object({ items: z.array(ReportSummary) });
export const ReportIdParams = z.object({ id: z.uuid() });

/**
 * Exports answer with a file, not JSON: `export.md` is `text/markdown; charset=utf-8` (the stored
 * body, byte for byte), `export.pdf` is `application/pdf`; both with a Content-Disposition
 * filename made from the title. A server without Chromium answers 503 `pdf_unavailable`.
 */
export const reportRoutes = {
  list: route({ method: 'get', path: '/api/v1/reports', summary: 'List reports, newest first (filter by project and kind)', auth: true, query: ReportListQuery, response: ReportList }),
  create: route({ method: 'post', path: '/api/v1/reports', errors: [409], summary: 'Create a report on demand', auth: true, body: ReportCreate, response: Report, status: 201 }),
  get: route({ method: 'get', path: '/api/v1/reports/:id', params: ReportIdParams, summary: 'Get a report with its Markdown body', auth: true, response: Report }),
  remove: route({ method: 'delete', path: '/api/v1/reports/:id', params: ReportIdParams, summary: 'Delete a report', auth: true, status: 204 }),
  exportMarkdown: route({ method: 'get', path: '/api/v1/reports/:id/export.md', params: ReportIdParams, produces: ['text/markdown'], summary: 'Download the report as Markdown', auth: true }),
  exportPdf: route({ method: 'get', path: '/api/v1/reports/:id/export.pdf', params: ReportIdParams, produces: ['application/pdf'], errors: [503], summary: 'Download the report as PDF (header, QR code to the report, highlighted code)', auth: true }),
};
