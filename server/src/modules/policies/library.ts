// The policy library: upload (a new version when the key is known), read, delete. Every write is
// checked in full (text extracted, clauses found) before the transaction opens, so a refused
// upload stores nothing; clauses are embedded after the commit, like memory entries.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Orm } from '#server/db/orm.ts';
import { withTenant, type TenantScope } from '#server/db/tenant-context.ts';
import { ValidationError } from '#server/errors.ts';
import type { PolicyClause, PolicyDocument, PolicyDocumentSummary, PolicyFormat, PolicyUpload, PolicyUploadResult, PolicyVersion, PolicyVersionSummary } from '#protocol/policies.ts';
import { POLICY_KEY } from '#protocol/policies.ts';
import { requireFound } from '#server/modules/audit/access-guard.ts';
import { recordAudit } from '#server/modules/audit/service.ts';
import { embedSavedRows, type EmbeddingServices } from '#server/modules/memory/background-embedding.ts';
import type { Authenticated } from '#server/modules/tenancy/service.ts';
import { extractPolicy, UnprocessablePolicyError } from './extract.ts';
import { PolicyClauseRow, PolicyDocumentRow, PolicyVersionRow, type IPolicyClause, type IPolicyDocument, type IPolicyVersion } from './policy.entity.ts';
import { splitPolicy } from './splitter.ts';

/** A clause row as lists load it (no vector). */
type ClauseFields = Pick<IPolicyClause, 'id' | 'documentId' | 'versionId' | 'ordinal' | 'number' | 'title' | 'text' | 'controls' | 'cwes' | 'embedRetryAt'>;
type VersionFields = Pick<IPolicyVersion, 'id' | 'documentId' | 'version' | 'format' | 'sha256' | 'bytes' | 'clauseCount' | 'createdBy' | 'createdAt'>;

export function toDocumentSummary(row: IPolicyDocument, clauseCount: number): PolicyDocumentSummary {
  return {
    id: row.id,
    key: row.key,
    title: row.title,
    latestVersion: row.latestVersion,
    latestVersionId: row.latestVersionId,
    clauseCount,
    starter: row.starter,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toVersionSummary(row: VersionFields): PolicyVersionSummary {
  return {
    id: row.id,
    documentId: row.documentId,
    version: row.version,
    format: row.format,
    sha256: row.sha256,
    bytes: row.bytes,
    clauseCount: row.clauseCount,
    createdBy: row.createdBy ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toClauseDto(row: ClauseFields, document: Pick<IPolicyDocument, 'key' | 'title'>, version: number): PolicyClause {
  return {
    id: row.id,
    documentId: row.documentId,
    documentKey: document.key,
    documentTitle: document.title,
    versionId: row.versionId,
    version,
    ordinal: row.ordinal,
    number: row.number,
    title: row.title,
    text: row.text,
    controls: row.controls,
    cwes: row.cwes,
    vectorPending: row.embedRetryAt != null,
  };
}

/** "Personal Data & GDPR" -> "personal-data-gdpr": a document's default key. */
export function keyFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return POLICY_KEY.test(slug) ? slug : 'policy';
}

const clauseOrder = { orderBy: { ordinal: 'asc' as const }, exclude: ['embedding'] as const };

async function clauseCounts(em: EntityManager, versionIds: string[]): Promise<Map<string, number>> {
  if (!versionIds.length) return new Map();
  const rows = await em.find(PolicyVersionRow, { id: { $in: versionIds } }, { fields: ['id', 'clauseCount'] });
  return new Map(rows.map((row) => [row.id, row.clauseCount]));
}

export async function listPolicies(orm: Orm, scope: TenantScope): Promise<PolicyDocumentSummary[]> {
  return withTenant(orm, scope, async (em) => {
    const rows = await em.find(PolicyDocumentRow, {}, { orderBy: { title: 'asc', id: 'asc' } });
    const counts = await clauseCounts(em, rows.map((row) => row.latestVersionId));
    return rows.map((row) => toDocumentSummary(row, counts.get(row.latestVersionId) ?? 0));
  });
}

async function requireDocument(orm: Orm, auth: Authenticated, id: string): Promise<IPolicyDocument> {
  const row = await withTenant(orm, auth, (em) => em.findOne(PolicyDocumentRow, { id }));
  return requireFound(orm, auth, PolicyDocumentRow, 'policy', id, row);
}

export async function getPolicy(orm: Orm, auth: Authenticated, id: string): Promise<PolicyDocument> {
  const document = await requireDocument(orm, auth, id);
  return withTenant(orm, auth, async (em) => {
    const versions = await em.find(PolicyVersionRow, { documentId: id }, { orderBy: { version: 'desc' }, exclude: ['text'] });
    const clauses = await em.find(PolicyClauseRow, { versionId: document.latestVersionId }, clauseOrder);
    const latest = versions.find((v) => v.id === document.latestVersionId);
    return {
      ...toDocumentSummary(document, latest?.clauseCount ?? clauses.length),
      versions: versions.map(toVersionSummary),
      clauses: clauses.map((clause) => toClauseDto(clause, document, document.latestVersion)),
    };
  });
}

export async function getPolicyVersion(orm: Orm, auth: Authenticated, id: string, version: number): Promise<PolicyVersion> {
  const document = await requireDocument(orm, auth, id);
  const found = await withTenant(orm, auth, async (em) => {
    const row = await em.findOne(PolicyVersionRow, { documentId: id, version });
    if (!row) return null;
    const clauses = await em.find(PolicyClauseRow, { versionId: row.id }, clauseOrder);
    return { ...toVersionSummary(row), text: row.text, clauses: clauses.map((clause) => toClauseDto(clause, document, row.version)) };
  });
  if (!found) throw new ValidationError(`version: policy ${id} has no version ${version} (its latest is ${document.latestVersion})`, 'version');
  return found;
}

export async function getClause(orm: Orm, auth: Authenticated, id: string): Promise<PolicyClause> {
  const found = await withTenant(orm, auth, async (em) => {
    const clause = await em.findOne(PolicyClauseRow, { id }, { exclude: ['embedding'] });
    if (!clause) return null;
    const document = await em.findOneOrFail(PolicyDocumentRow, { id: clause.documentId });
    const version = await em.findOneOrFail(PolicyVersionRow, { id: clause.versionId }, { fields: ['id', 'version'] });
    return toClauseDto(clause, document, version.version);
  });
  if (!found) await requireFound(orm, auth, PolicyClauseRow, 'policy clause', id, null);
  return found!;
}

export async function deletePolicy(orm: Orm, auth: Authenticated, id: string): Promise<void> {
  const deleted = await withTenant(orm, auth, async (em) => {
    // Versions and clauses go with it (composite keys, on delete cascade).
    const count = await em.nativeDelete(PolicyDocumentRow, { id });
    if (count > 0) recordAudit(em, auth, 'policy.delete', 'policy_document', id);
    await em.flush();
    return count > 0;
  });
  if (!deleted) await requireFound(orm, auth, PolicyDocumentRow, 'policy', id, null);
}

export interface StoreOptions {
  /** Installed from the starter set. */
  starter?: boolean;
}

/**
 * Stores an upload as a new version of the document with its key (a new document when the key is
 * new). An upload byte for byte equal to the latest version stores nothing (`created: false`).
 */
export async function uploadPolicy(services: EmbeddingServices & { orm: Orm }, scope: TenantScope, input: z.output<typeof PolicyUpload>, options: StoreOptions = {}): Promise<PolicyUploadResult> {
  const extracted = await extractPolicy(input.format, input.content);
  const split = splitPolicy(extracted.text, input.format);
  if (!split.clauses.length) {
    throw new UnprocessablePolicyError(
      'content: no clauses found; start each clause with a heading ("## 4.2 Title") or, in text and PDF, a numbered line ("4.2 Title"). See docs/policies.md',
    );
  }
  const title = input.title ?? split.title;
  const key = input.key ?? keyFromTitle(title);
  const stored = await withTenant(services.orm, scope, async (em) => {
    // Two uploads of one key at once must not both become version n+1.
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`policy:${scope.tenantId}:${key}`]);
    const existing = await em.findOne(PolicyDocumentRow, { key });
    if (existing) {
      const latest = await em.findOneOrFail(PolicyVersionRow, { id: existing.latestVersionId }, { exclude: ['text'] });
      // The starter set never replaces a version the team uploaded itself.
      const keepTeams = options.starter === true && !existing.starter;
      if (keepTeams || (latest.sha256 === extracted.sha256 && latest.format === input.format && existing.title === title)) {
        return { document: existing, version: latest, clauseIds: [] as string[], created: false };
      }
    }
    const now = new Date();
    const document =
      existing ??
      em.create(PolicyDocumentRow, { tenantId: scope.tenantId, key, title, latestVersion: 0, latestVersionId: '00000000-0000-0000-0000-000000000000', starter: false, createdBy: scope.userId, createdAt: now, updatedAt: now });
    const version = em.create(PolicyVersionRow, {
      tenantId: scope.tenantId,
      documentId: document.id,
      version: document.latestVersion + 1,
      format: input.format as PolicyFormat,
      sha256: extracted.sha256,
      bytes: extracted.bytes,
      text: extracted.text,
      clauseCount: split.clauses.length,
      createdBy: scope.userId,
      createdAt: now,
    });
    const clauses = split.clauses.map((clause, ordinal) =>
      em.create(PolicyClauseRow, { tenantId: scope.tenantId, documentId: document.id, versionId: version.id, ordinal, ...clause, embedding: null, embedRetryAt: now, createdAt: now }),
    );
    Object.assign(document, { title, latestVersion: version.version, latestVersionId: version.id, starter: options.starter ?? false, updatedAt: now });
    recordAudit(em, scope, existing ? 'policy.version' : 'policy.create', 'policy_document', document.id, { key, version: version.version, clauses: clauses.length, starter: options.starter ?? false });
    await em.flush();
    return { document, version, clauseIds: clauses.map((c) => c.id), created: true };
  });
  // After the commit: a provider that is down or slow leaves them to the sweeper (text search stands in).
  await embedSavedRows(services, scope, 'policy_clauses', stored.clauseIds);
  return { document: toDocumentSummary(stored.document, stored.version.clauseCount), version: toVersionSummary(stored.version), created: stored.created };
}
