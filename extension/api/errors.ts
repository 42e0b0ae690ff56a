import type { Problem } from '#protocol/problem.ts';

/**
 * What can go wrong talking to the server, each with a message meant for the user. Guards are
 * static `is()` methods so callers need no instanceof across bundles.
 */

/** Nothing answered at the server URL (refused, DNS, timeout). */
export class ServerUnreachableError extends Error {
  readonly reason = 'unreachable';
  readonly serverUrl: string;

  constructor(serverUrl: string, cause: unknown) {
    super(`Cannot reach the Nyx server at ${serverUrl} (${describeCause(cause)}). Is it running? Start it with "npx nyx-server start", or set "nyx.serverUrl" to where it runs.`, { cause });
    this.serverUrl = serverUrl;
  }

  static is(error: unknown): error is ServerUnreachableError {
    return error instanceof Error && (error as { reason?: unknown }).reason === 'unreachable';
  }
}

/** The server answered with a problem document: its `detail` is the message, verbatim. */
export class ServerProblemError extends Error {
  readonly reason = 'problem';
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.problem = problem;
  }

  /** The token is missing, wrong or revoked. */
  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  static is(error: unknown): error is ServerProblemError {
    return error instanceof Error && (error as { reason?: unknown }).reason === 'problem';
  }
}

/** The server answered something this extension does not understand (another version, a proxy). */
export class UnexpectedResponseError extends Error {
  readonly reason = 'unexpected';

  static is(error: unknown): error is UnexpectedResponseError {
    return error instanceof Error && (error as { reason?: unknown }).reason === 'unexpected';
  }
}

/** fetch wraps the socket error in `cause`: ECONNREFUSED says more than "fetch failed". */
function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  if (inner?.code) return inner.code;
  if (inner?.message) return inner.message;
  return cause instanceof Error ? cause.message : String(cause);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
