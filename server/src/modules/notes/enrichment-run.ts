import type { AppServices } from '#server/services.ts';
import { inputReferences, type RunContext, type RunKindDefinition } from '#server/modules/runs/engine/registry.ts';
import { NOTE_ENRICHMENT_RUN_KIND, NoteEnrichmentInput, type NoteEnrichment } from '#protocol/notes.ts';
import type { RunCreated } from '#protocol/runs.ts';
import { startProjectRun } from '#server/modules/analysis/analysis-service.ts';
import { embedQuery } from '#server/modules/memory/embedding.ts';
import { embeddersIn, installedSources } from '#server/modules/memory/sources.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { composeEnrichment } from './enrichment-compose.ts';
import { retrieveForNote } from './enrichment-retrieval.ts';
import { NoteRow } from './note.entity.ts';
import { getNote, noteText } from './service.ts';

type Services = Pick<AppServices, 'orm' | 'secretBox' | 'log'>;

/**
 * note-enrichment: embed the note, retrieve related knowledge (retrieveForNote), let the model
 * (or the template) write the enrichment, store it on the note with its citations. Re-running it
 * overwrites the note's enrichment, so a retried run is harmless.
 */
async function enrichNote(services: Services, context: RunContext): Promise<unknown> {
  const { run, withTenant, emit, progress, signal } = context;
  const input = NoteEnrichmentInput.parse(run.input);
  const scope = { tenantId: run.tenantId, userId: run.createdBy };
  const found = await withTenant(async (em) => {
    const note = await em.findOne(NoteRow, { id: input.noteId, projectId: run.projectId }, { exclude: ['embedding'] });
    if (!note) return null;
    const sources = (await installedSources(em)).filter((s) => s.type !== 'note');
    return { note, embedders: await embeddersIn(em, sources, run.projectId) };
  });
  if (!found) throw new Error(`note ${input.noteId} no longer exists in this project`);
  const { note, embedders } = found;
  const path = note.location?.path ?? null;
  let queryVectors = new Map<string, number[]>();
  try {
    queryVectors = await embedQuery(services, scope, noteText(note), embedders, run.id);
  } catch (error) {
    // The embedding provider being down costs the similarity search, not the enrichment.
    services.log.warn({ err: error, runId: run.id }, 'note enrichment: the note could not be embedded; retrieving by text only');
  }
  await progress(0.3, 'retrieving related knowledge');
  const items = await withTenant((em) => retrieveForNote(em, run.projectId, queryVectors, input.topK, noteText(note)));
  await emit('enrichment.retrieved', { items: items.map(({ ref, type, id, title, similarity }) => ({ ref, type, id, title, similarity })) });
  signal.throwIfAborted();
  await progress(0.6, 'writing the enriched note');
  const composed = await composeEnrichment(services, scope, run.id, { title: note.title, body: note.body, path }, items, signal);
  const enrichment: NoteEnrichment = {
    runId: run.id,
    markdown: composed.markdown,
    citations: items.map(({ ref, type, id, title, similarity }) => ({ ref, type, id, title, similarity })),
    model: composed.model,
    retrieval: queryVectors.size ? 'vector' : 'text-only',
    createdAt: new Date().toISOString(),
  };
  const saved = await withTenant(async (em) => {
    const row = await em.findOne(NoteRow, { id: note.id });
    if (!row) return false;
    row.enrichment = enrichment;
    await em.flush();
    return true;
  });
  if (!saved) throw new Error(`note ${note.id} was deleted while it was being enriched`);
  return { noteId: note.id, citations: enrichment.citations.length, model: composed.model };
}

export const noteEnrichmentRunKind: RunKindDefinition<Services> = {
  kind: NOTE_ENRICHMENT_RUN_KIND,
  input: NoteEnrichmentInput,
  references: (input) => inputReferences(NoteRow, 'noteId', (input as { noteId: string }).noteId),
  handler: (services) => (context) => enrichNote(services, context),
};

export async function startNoteEnrichment(services: AppServices, auth: Authenticated, noteId: string): Promise<RunCreated> {
  const note = await getNote(services.orm, auth, noteId);
  return startProjectRun(services, auth, note.projectId, NOTE_ENRICHMENT_RUN_KIND, { noteId, topK: 5, revision: note.updatedAt });
}
