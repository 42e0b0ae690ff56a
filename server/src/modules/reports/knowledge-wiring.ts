import type { AppServices } from '../../app.ts';
import { registerDigestRunKind } from '../digests/digest-run.ts';
import { registerNoteEnrichmentRunKind } from '../notes/enrichment-run.ts';
import { watchRunReports } from './run-reports.ts';

/**
 * Reports, notes, memory and digests at startup: the note-enrichment and digest run kinds, and the
 * watcher that turns `result.reportMarkdown` of finished runs into reports. Returns its stop.
 */
export function registerKnowledge(services: AppServices): () => void {
  registerNoteEnrichmentRunKind(services.runs.registry, services);
  registerDigestRunKind(services.runs.registry, services);
  return watchRunReports(services.orm, services.runs.bus, services.log);
}
