// The notes feature as the composition root sees it (see server/src/feature.ts).
import type { Feature } from '#server/feature.ts';
import { noteRoutes } from '#protocol/notes.ts';
import { notesRouter } from './routes.ts';
import { NoteRow } from './note.entity.ts';
import { noteEnrichmentRunKind } from './enrichment-run.ts';

/** Notes on code, enriched with what the project has learned. */
export const notesFeature: Feature = {
  name: 'notes',
  contracts: noteRoutes,
  router: notesRouter,
  runKinds: [noteEnrichmentRunKind],
  entities: [NoteRow],
  eventKinds: ['enrichment.retrieved'],
};
