/**
 * Errors a client can cause. The error middleware turns them into application/problem+json
 * with their status; anything else is a 500 that reveals nothing.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, options: { field?: string; details?: unknown } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  static is(error: unknown): error is AppError {
    return error instanceof AppError;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, field?: string, details?: unknown) {
    super(400, 'validation_failed', message, { field, details });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message: string) {
    super(401, 'unauthorized', message);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, { field });
  }
}

/** Too many requests from one client address or token; `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * An id in a body or run input that names nothing the caller's tenant has: "runId: not found".
 * Another tenant's id gets exactly this answer too (decision 0011).
 */
export class ReferenceNotFoundError extends AppError {
  constructor(field: string) {
    super(404, 'not_found', `${field}: not found`, { field });
  }
}

/** Authenticated, but the caller's role (or token scope) does not allow this: "needs role admin; you are member". */
export class ForbiddenError extends AppError {
  constructor(message: string, field?: string) {
    super(403, 'forbidden', message, { field });
  }
}

/** Was valid once and is not any more (an expired, revoked or used invitation code). */
export class GoneError extends AppError {
  constructor(message: string, field?: string) {
    super(410, 'gone', message, { field });
  }
}
