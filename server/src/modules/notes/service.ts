import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant } from '#server/db/tenant-context.ts';
import type { Note as NoteDto, NoteCreate, NoteListQuery, NoteUpdate } from '#protocol/notes.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { requireProject } from '#server/modules/analysis/snapshot-service.ts';
import { embedSavedRows, type EmbeddingServices } from '#server/modules/memory/background-embedding.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { NoteRow, type INote } from './note.entity.ts';

/** Lists load rows without their vector. */
export function toNoteDto(row: Pick<INote, 'id' | 'projectId' | 'title' | 'body' | 'location' | 'enrichment' | 'embedRetryAt' | 'createdBy' | 'updatedBy' | 'createdAt' | 'updatedAt'>): NoteDto {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    body: row.body,
    location: row.location ?? null,
    enrichment: row.enrichment ?? null,
    vectorPending: row.embedRetryAt != null,
    createdBy: row.createdBy ?? null,
    updatedBy: row.updatedBy ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a note's vector describes (and what enrichment retrieves for). */
export function noteText(note: { title: string; body: string; location?: { path: string } | null }): string {
  return [note.title, note.body, note.location ? `File: ${note.location.path}` : ''].filter(Boolean).join('\n');
}

export async function listNotes(orm: Orm, auth: Authenticated, projectId: string, query: z.output<typeof NoteListQuery>): Promise<NoteDto[]> {
  await requireProject(orm, auth, projectId);
  return withTenant(orm, auth, async (em) => {
    const rows = await em.find(NoteRow, query.path ? { projectId, location: { path: query.path } } : { projectId }, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: query.limit,
      exclude: ['embedding'],
    });
    return rows.map(toNoteDto);
  });
}

export async function getNote(orm: Orm, auth: Authenticated, id: string): Promise<NoteDto> {
  const row = await withTenant(orm, auth, (em) => em.findOne(NoteRow, { id }));
  return toNoteDto(await requireFound(orm, auth, NoteRow, 'note', id, row));
}

export async function createNote(services: EmbeddingServices, auth: Authenticated, projectId: string, input: z.output<typeof NoteCreate>): Promise<NoteDto> {
  await requireProject(services.orm, auth, projectId);
  // Saved first, embedded after: the provider being down or slow never loses or fails the note.
  const note = await withTenant(services.orm, auth, async (em) => {
    const row = em.create(NoteRow, {
      tenantId: auth.tenantId,
      projectId,
      title: input.title,
      body: input.body,
      location: input.location,
      embedding: null,
      embedRetryAt: new Date(),
      enrichment: null,
      createdBy: auth.userId,
      updatedBy: auth.userId,
    });
    recordAudit(em, auth, 'note.create', 'note', row.id, { path: input.location?.path ?? null });
    await em.flush();
    return toNoteDto(row);
  });
  await embedSavedRows(services, auth, 'notes', [note.id]);
  return note;
}

export async function updateNote(services: EmbeddingServices, auth: Authenticated, id: string, input: z.output<typeof NoteUpdate>): Promise<NoteDto> {
  const { orm } = services;
  const current = await withTenant(orm, auth, (em) => em.findOne(NoteRow, { id }));
  const before = await requireFound(orm, auth, NoteRow, 'note', id, current);
  const next = {
    title: input.title ?? before.title,
    body: input.body ?? before.body,
    location: input.location === undefined ? (before.location ?? null) : input.location,
  };
  // The old vector describes the old text: dropped with it, and the new one made after the commit
  // (the sweeper retries if that fails). A concurrent edit of the same note is last-writer-wins.
  const updated = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(NoteRow, { id });
    if (!row) return null;
    Object.assign(row, next, { embedding: null, embedAttempts: 0, embedRetryAt: new Date(), updatedBy: auth.userId });
    recordAudit(em, auth, 'note.update', 'note', id, { fields: Object.keys(input) });
    await em.flush();
    return toNoteDto(row);
  });
  if (updated) {
    await embedSavedRows(services, auth, 'notes', [id]);
    return updated;
  }
  return toNoteDto(await requireFound(orm, auth, NoteRow, 'note', id, null));
}

export async function deleteNote(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    const count = await em.nativeDelete(NoteRow, { id });
    if (count > 0) recordAudit(em, auth, 'note.delete', 'note', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, NoteRow, 'note', id, null);
}
