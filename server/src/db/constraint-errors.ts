import { AppError } from '#server/errors.ts';
import { referenceByConstraint } from './tenant-references.ts';

/** The fields of a PostgreSQL error that pg (and MikroORM's wrapper of it) carry. */
interface PostgresErrorFields {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

const camelCase = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The columns of a unique violation, from its detail ("Key (a, b)=(…) already exists."). Only the
 * names are kept: the values may be someone else's, and are never echoed.
 */
function conflictingColumns(detail: unknown): string[] {
  const match = typeof detail === 'string' ? /^Key \(([^)]*)\)=/.exec(detail) : null;
  return match ? match[1].split(',').map((name) => name.trim().replace(/^"|"$/g, '')) : [];
}

/**
 * Turns the constraint violations a client can cause into the answer they deserve instead of a
 * 500. Decision 0011: every unique key of a tenant table either contains tenant_id or a
 * tenant-checked reference, so a conflict is always with one of the caller's own rows; the answer
 * still names only the field, never the value or the row. A broken tenant reference is a 404 on
 * the field, word for word what a missing id gets (the services check up front; this is the
 * database's backstop for anything they miss).
 */
export function constraintViolationToAppError(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, detail } = error as PostgresErrorFields;
  if (code === '23505') {
    const field = conflictingColumns(detail).filter((column) => column !== 'tenant_id').map(camelCase).join(', ') || undefined;
    return new AppError(409, 'conflict', field ? `${field}: already exists` : 'This conflicts with an existing record', { field });
  }
  if (code === '23503' && typeof constraint === 'string') {
    const reference = referenceByConstraint(constraint);
    if (!reference) return null;
    const field = camelCase(reference.column);
    return new AppError(404, 'not_found', `${field}: not found`, { field });
  }
  return null;
}
