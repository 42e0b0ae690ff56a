import { z } from 'zod';
import { route } from './routes.ts';
import { ProjectIdParams } from './projects.ts';
import { RunCreated } from './runs.ts';

/** Where in the workspace a note points: a file and a range, 1-based lines and columns (as findings). */
export const NoteLocation = z
  .strictObject({
    /** Workspace-relative, forward slashes. */
    path: z.string().min(1).max(1024).refine((path) => !path.includes('\\') && !path.split('/').includes('..'), 'a workspace-relative path without ".." or backslashes'),
    startLine: z.number().int().min(1),
    startColumn: z.number().int().min(1).default(1),
    endLine: z.number().int().min(1),
    endColumn: z.number().int().min(1).default(1),
  })
  .refine((l) => l.endLine > l.startLine || (l.endLine === l.startLine && l.endColumn >= l.startColumn), { message: 'the range ends before it starts', path: ['endLine'] });
export type NoteLocation = z.infer<typeof NoteLocation>;

/** Which store a retrieved item came from (memory search hits and enrichment citations share it). */
export const KnowledgeItemType = z.enum(['memory', 'code_pattern', 'workflow_insight', 'note', 'consolidation']);
export type KnowledgeItemType = z.infer<typeof KnowledgeItemType>;

/** One item an enriched note used; the enrichment cites exactly these. */
export const Citation = z.object({
  /** `[M1]`-style tag the enriched text refers to. */
  ref: z.string(),
  type: KnowledgeItemType,
  /** The item's id; for a consolidation pattern, the id of its first (oldest) memory entry. */
  id: z.uuid(),
  title: z.string(),
  /** Cosine similarity to the note (0..1 for normalised vectors). */
  similarity: z.number(),
});
export type Citation = z.infer<typeof Citation>;

export const NoteEnrichment = z.object({
  runId: z.uuid(),
  markdown: z.string(),
  citations: z.array(Citation),
  /** "provider/model" that wrote it; null when no provider is configured (deterministic template). */
  model: z.string().nullable(),
  /**
   * How related knowledge was found: `vector` (similarity to the note), or `text-only` (full-text
   * match on the note's words; `similarity` is then the text rank) when the note could not be
   * embedded. Absent on enrichments written before this field existed.
   */
  retrieval: z.enum(['vector', 'text-only']).optional(),
  createdAt: z.string(),
});
export type NoteEnrichment = z.infer<typeof NoteEnrichment>;

export const Note = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  title: z.string(),
  body: z.string(),
  location: NoteLocation.nullable(),
  /** The latest enrichment run's output; null until one succeeded. */
  enrichment: NoteEnrichment.nullable(),
  /** Saved, but its vector is not made yet (provider down or slow): search finds it by text until it is. */
  vectorPending: z.boolean(),
  createdBy: z.uuid().nullable(),
  updatedBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Note = z.infer<typeof Note>;

export const NoteCreate = z.strictObject({
  title: z.string().trim().min(1).max(300),
  body: z.string().max(100_000).default(''),
  location: NoteLocation.nullable().default(null),
});
export type NoteCreate = z.input<typeof NoteCreate>;

export const NoteUpdate = z.strictObject({
  title: z.string().trim().min(1).max(300).optional(),
  body: z.string().max(100_000).optional(),
  location: NoteLocation.nullable().optional(),
});
export type NoteUpdate = z.input<typeof NoteUpdate>;

export const NoteListQuery = z.strictObject({
  /** Only notes on this file. */
  path: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const NoteList = z.object({ items: z.array(Note) });
export const NoteIdParams = z.object({ id: z.uuid() });

/** Input of a `note-enrichment` run (POST /api/v1/runs works too). */
export const NoteEnrichmentInput = z.strictObject({
  noteId: z.uuid(),
  /** How many items per store (code patterns, memory, workflow insights) to retrieve. */
  topK: z.number().int().min(1).max(20).default(5),
  /** The note's updatedAt: an edited note is enriched again instead of deduplicated to the last run. */
  revision: z.string().max(64).optional(),
});
export const NOTE_ENRICHMENT_RUN_KIND = 'note-enrichment';

export const noteRoutes = {
  list: route({ method: 'get', path: '/api/v1/projects/:id/notes', params: ProjectIdParams, errors: [402, 409, 502, 503], summary: 'List a project\'s notes, newest first', auth: true, query: NoteListQuery, response: NoteList }),
  create: route({ method: 'post', path: '/api/v1/projects/:id/notes', params: ProjectIdParams, errors: [402, 409, 502, 503], summary: 'Add a note (optionally on a file range)', auth: true, body: NoteCreate, response: Note, status: 201 }),
  get: route({ method: 'get', path: '/api/v1/notes/:id', params: NoteIdParams, summary: 'Get a note', auth: true, response: Note }),
  update: route({ method: 'patch', path: '/api/v1/notes/:id', params: NoteIdParams, errors: [402, 409, 502, 503], summary: 'Change a note', auth: true, body: NoteUpdate, response: Note }),
  remove: route({ method: 'delete', path: '/api/v1/notes/:id', params: NoteIdParams, summary: 'Delete a note', auth: true, status: 204 }),
  enrich: route({ method: 'post', path: '/api/v1/notes/:id/enrich', params: NoteIdParams, alsoStatus: [200], summary: 'Start a note-enrichment run (cites what it retrieved)', auth: true, response: RunCreated, status: 201 }),
};
